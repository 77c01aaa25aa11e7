// The default anomaly model (the op anomaly.default_model, which flk-server uses) on synthetic series:
// 30 seeds of a slow wave (period 240 points, amplitude 5) plus unit Gaussian noise, 2,000
// points each, scored as one stream with anomaly.score through dist/native/flk; counts the
// noise points flagged after the server's 16-point warm-up, then adds one spike of 3, 5, 10 and
// 20 standard deviations at point 1000 and counts the series where that point is flagged.
//   node scripts/measure-default-anomaly-synthetic.mjs
import { spawnSync } from 'node:child_process';
import { normals } from '../tests/js/support/normals.mjs';

const root = new URL('../', import.meta.url).pathname;
const model = JSON.parse(spawnSync(`${root}dist/native/flk`, ['call', 'anomaly.default_model'], { input: '{}', encoding: 'utf8' }).stdout).model;
const WARM_UP = 16;


function flags(values) {
  const r = spawnSync(`${root}dist/native/flk`, ['call', 'anomaly.score'], {
    input: JSON.stringify({ model, rows: values.map((v) => [v]) }), encoding: 'utf8', maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  return JSON.parse(r.stdout).is_anomaly;
}

const spikes = [3, 5, 10, 20];
const hits = Object.fromEntries(spikes.map((k) => [k, 0]));
let flagged = 0, points = 0, series = 0;
for (let seed = 100; seed < 130; seed++, series++) {
  const z = normals(seed);
  const values = Array.from({ length: 2000 }, (_, i) => 50 + 5 * Math.sin((2 * Math.PI * i) / 240) + z());
  const f = flags(values);
  for (let i = WARM_UP; i < values.length; i++, points++) flagged += f[i] ? 1 : 0;
  for (const k of spikes) {
    const v = values.slice();
    v[1000] += k;
    hits[k] += flags(v)[1000] ? 1 : 0;
  }
}
console.log(`noise: ${flagged} of ${points} points flagged`);
for (const k of spikes) console.log(`spike of ${k} sigma: flagged in ${hits[k]} of ${series} series`);
