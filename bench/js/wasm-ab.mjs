// Another checkout's Emscripten build (or, with ENGINE=wasi, its WASI reactor) against this one,
// in one Node process: the same calls (version and rows of bench/cases.json) alternately, ROUNDS
// rounds, median time per call and the ratio new/old. Outputs must be identical. The other
// checkout needs its dist/wasm (dist/wasi) built
// (`git worktree add DIR REF && (cd DIR && scripts/build.sh wasm)`). VARIANT=score or verify
// times that Emscripten variant instead of the full one.
//   [ENGINE=wasi | VARIANT=score] node bench/js/wasm-ab.mjs DIR [case name regex]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { timePerCall } from './time-per-call.mjs';

const [dir, pattern = 'sha256|pcs.verify HMAC|hrs.score 1 KB|gate.decide default'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/js/wasm-ab.mjs DIR [case name regex]');
const rounds = Number(process.env.ROUNDS ?? 5);
const wasi = process.env.ENGINE === 'wasi';
const variant = process.env.VARIANT ?? 'full';
const load = async (root) => (wasi ? (await import(`${resolve(root)}/js/load-wasi.mjs`)).loadWasi() : (await import(`${resolve(root)}/js/load-wasm.mjs`)).loadWasm({ variant }));
const cores = { old: await load(dir), new: await load(new URL('../..', import.meta.url).pathname) };
const { cases } = JSON.parse(readFileSync(new URL('../cases.json', import.meta.url), 'utf8'));
// A lean variant has only some ops: the cases of the others are left out.
const ops = new Set(JSON.parse(cores.new.callRaw('ops', '{}')).ops.map((o) => o.name));
const calls = [['version', 'version', '{}'], ...cases.filter((c) => new RegExp(pattern).test(c.name) && ops.has(c.op)).map((c) => [c.name, c.op, JSON.stringify(c.input)])];

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

console.log(`| call | old (${dir}) | new | new/old |\n| --- | --- | --- | --- |`);
for (const [name, op, input] of calls) {
  if (cores.old.callRaw(op, input) !== cores.new.callRaw(op, input)) throw new Error(`${name}: the outputs differ`);
  const t = { old: [], new: [] };
  for (let r = 0; r < rounds; r++) for (const w of ['old', 'new']) t[w].push(timePerCall(() => cores[w].callRaw(op, input), 300) / 1000);
  const [o, n] = [median(t.old), median(t.new)];
  console.log(`| ${name} | ${o.toFixed(2)} µs | ${n.toFixed(2)} µs | ${(n / o).toFixed(2)}× |`);
}
