// The deterministic elementary functions must give the same bits in every build for random
// arguments over their whole range (native glibc vs musl-derived wasm libcs differ otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from './engines.mjs';

// xorshift64*: a seeded generator so failures are reproducible.
function rng(seed) {
  let s = BigInt(seed);
  return () => {
    s ^= s >> 12n; s ^= (s << 25n) & 0xffffffffffffffffn; s ^= s >> 27n;
    return Number(((s * 2685821657736338717n) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  };
}

test('math.elementary is bit-identical across builds', async () => {
  const r = rng(20261123);
  const spans = { log: [-700, 700], log2: [-700, 700], exp: [-745, 709], sigmoid: [-50, 50], tanh: [-25, 25], log1p_exp: [-60, 60], sqrt: [-700, 700] };
  const calls = [];
  for (const [fn, [lo, hi]] of Object.entries(spans)) {
    const x = [];
    for (let i = 0; i < 4000; i++) {
      const u = lo + (hi - lo) * r();
      x.push(fn === 'log' || fn === 'log2' || fn === 'sqrt' ? Math.exp(u) : u);
    }
    x.push(0, 1, -1, 0.5, 2, 1e-310, 2.7e-20, -3e-9, 0.17, -0.35);
    calls.push(['math.elementary', JSON.stringify({ fn, x })]);
  }
  const e = await engines();
  const ref = e.native(calls);
  for (const [name, fn] of Object.entries(e)) assert.deepEqual(fn(calls), ref, `${name} differs from native`);
  for (const line of ref) assert.ok(!line.startsWith('{"error"'), line.slice(0, 200));
});
