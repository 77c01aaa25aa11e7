// npm run bench: pii.scan throughput (MB/s) on 1 MiB texts in the Emscripten module (full and
// verify variants) and the WASI reactor, next to the native Google Benchmark numbers for the same
// texts (bench/native/pii_bench.cc builds them the same way). The wasm time includes the JSON
// round trip of the text, as a caller pays it; all numbers are CPU time.
import { spawnSync } from 'node:child_process';
import { loadWasm } from '../../js/load-wasm.mjs';
import { loadWasi } from '../../js/load-wasi.mjs';

const root = new URL('../../', import.meta.url);
const repeat = (unit, bytes) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const MiB = 1 << 20;
const texts = {
  prose: repeat(
    'Hi team, the customer jane.doe@example.com called from +1 415-555-2671 about order #4839201 ' +
      '(paid with 4111 1111 1111 1111). Logs show 10.0.0.12 hitting v2.14.3 at 2024-01-15T10:30:00Z. ',
    MiB,
  ),
  clean: repeat(
    'The quarterly review covered latency, error budgets and the rollout plan for the new region; ' +
      'no action items were assigned and the next meeting is scheduled for Thursday afternoon. ',
    MiB,
  ),
  'adversarial "1 1 1 …"': repeat('1 ', MiB),
};
const nativeName = { prose: 'BM_PiiScanProse', clean: 'BM_PiiScanClean', 'adversarial "1 1 1 …"': 'BM_PiiScanAdversarial/1' };

const native = {};
const nb = spawnSync(new URL('dist/native/flk_bench', root).pathname, ['--benchmark_format=json', '--benchmark_filter=BM_PiiScan'], {
  encoding: 'utf8',
});
if (nb.status === 0) for (const b of JSON.parse(nb.stdout).benchmarks) native[b.name] = b.bytes_per_second / MiB;

const engines = {
  'wasm (Emscripten)': (await loadWasm()).callRaw,
  'wasm verify variant': (await loadWasm({ variant: 'verify' })).callRaw,
  'WASI reactor': (await loadWasi()).callRaw,
};
// CPU time of this process, as the native numbers (Google Benchmark's default), so a busy machine
// does not halve them.
const mbps = (fn, bytes) => {
  fn();
  let n = 0;
  const c0 = process.cpuUsage();
  let used;
  do {
    fn();
    n++;
    const c = process.cpuUsage(c0);
    used = (c.user + c.system) / 1e6;
  } while (used < 1.5);
  return (bytes * n) / MiB / used;
};

console.log('\npii.scan throughput, MB/s (1 MiB inputs)\n');
console.log(['text', 'native', ...Object.keys(engines)].join(' | '));
for (const [name, text] of Object.entries(texts)) {
  const input = JSON.stringify({ text, limit: 0 });
  const row = [name, (native[nativeName[name]] ?? NaN).toFixed(1)];
  for (const call of Object.values(engines)) row.push(mbps(() => call('pii.scan', input), MiB).toFixed(1));
  console.log(row.join(' | '));
}
