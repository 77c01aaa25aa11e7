// HRS score latency percentiles: the hrs.score case of bench/cases.json (1 KB answer, 4 KB
// context; features + bag-of-words + members + interval, reasons off) timed call by call in
// the Emscripten and WASI builds, next to the native numbers from flk_bench; and the size of
// the default model that every build embeds (budget: 150 KB gzipped).
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { loadWasm } from '../../js/load-wasm.mjs';
import { loadWasi } from '../../js/load-wasi.mjs';

const root = new URL('../../', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('bench/cases.json', root), 'utf8'));
const c = cases.find((x) => x.op === 'hrs.score');
const text = JSON.stringify(c.input);
const calls = Number(process.env.HRS_BENCH_CALLS ?? 5000);

function percentiles(fn) {
  for (let i = 0; i < 500; i++) fn();
  const us = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    us[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  us.sort();
  return { p50: us[Math.floor(calls / 2)], p99: us[Math.floor(calls * 0.99)] };
}

const rows = [];
const nb = spawnSync(new URL('dist/native/flk_bench', root).pathname,
  ['--benchmark_format=json', '--benchmark_filter=BM_hrs_score'], { encoding: 'utf8' });
if (nb.status === 0)
  for (const b of JSON.parse(nb.stdout).benchmarks)
    rows.push([`native ${b.name.replace(/^BM_hrs_score_|\/iterations.*$/g, '')}`, b.p50_us, b.p99_us]);
const wasm = (await loadWasm()).callRaw;
const wasi = (await loadWasi()).callRaw;
wasm(c.op, text); // parse the embedded model before timing
wasi(c.op, text);
for (const [name, fn] of [['wasm (Emscripten) facade', () => wasm(c.op, text)], ['wasi (reactor) facade', () => wasi(c.op, text)]]) {
  const p = percentiles(fn);
  rows.push([name, p.p50, p.p99]);
}
console.log(`\n${c.name}: microseconds per call (${calls} calls after warm-up; goal p99 <= 20 us in WASM)\n`);
console.log('| build | p50 | p99 |\n| --- | --- | --- |');
for (const [n, p50, p99] of rows) console.log(`| ${n} | ${p50.toFixed(1)} | ${p99.toFixed(1)} |`);
const model = readFileSync(new URL('core/hrs/default_model.json', root));
const members = JSON.parse(model).members;
console.log(`\nDefault HRS model (core/hrs/default_model.json, ${members.length} members): ${(model.length / 1024).toFixed(0)} KB JSON, ` +
  `${(gzipSync(model, { level: 9 }).length / 1024).toFixed(1)} KB gzip -9 (budget 150 KB)`);
