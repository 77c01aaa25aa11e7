// The typed fast path (flk.fast.elementary) must give the JSON op's bits on both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlk, FlkError } from '../../js/node.mjs';

// Deterministic arguments over a wide range, including the awkward ones.
function args(n) {
  const xs = new Float64Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    xs[i] = ((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 12) - 4);
  }
  xs.set([0, -0, 1, -1, 5e-324, 1.7976931348623157e308, 709.78, -745.2], 0);
  return xs;
}
const FNS = ['log', 'log2', 'exp', 'sigmoid', 'tanh', 'log1p_exp', 'sqrt'];

for (const engine of ['wasm', 'wasi']) {
  test(`${engine}: fast.elementary equals math.elementary bit for bit`, async () => {
    const flk = await createFlk({ engine });
    const xs = args(2000);
    for (const fn of FNS) {
      const fast = flk.fast.elementary(fn, xs);
      // JSON.stringify writes -0 as 0; spell it out so both paths see the same argument
      const x = Array.from(xs, (v) => (Object.is(v, -0) ? '-0.0' : String(v))).join(',');
      const { y } = JSON.parse(flk.callJson('math.elementary', `{"fn":"${fn}","x":[${x}]}`));
      assert.equal(fast.length, xs.length);
      for (let i = 0; i < xs.length; i++) {
        if (y[i] === null) assert.ok(!Number.isFinite(fast[i]), `${fn}(${xs[i]}): JSON null, fast ${fast[i]}`);
        else assert.ok(Object.is(fast[i], y[i]), `${fn}(${xs[i]}): fast ${fast[i]} != json ${y[i]}`);
      }
    }
  });

  test(`${engine}: fast.elementary takes number arrays, writes into out, and reports errors like the op`, async () => {
    const flk = await createFlk({ engine });
    assert.deepEqual(Array.from(flk.fast.elementary('sqrt', [4, 9])), [2, 3]);
    const out = new Float64Array(3).fill(7);
    assert.equal(flk.fast.elementary('sqrt', [16, 25], out), out);
    assert.deepEqual(Array.from(out), [4, 5, 7]);
    assert.equal(flk.fast.elementary('exp', []).length, 0);
    assert.ok(Number.isNaN(flk.fast.elementary('log', [-1])[0]));
    assert.throws(() => flk.fast.elementary('cosh', [1]), (e) => e instanceof FlkError && e.code === 'out_of_range' && e.path === '$.fn');
    assert.throws(() => flk.fast.elementary('sqrt', new Float64Array((1 << 20) + 1)), (e) => e instanceof FlkError && e.code === 'too_large');
    assert.throws(() => flk.fast.elementary('sqrt', [1, 2], new Float64Array(1)), RangeError);
    // a large call grows the module's memory: the result must still be read from the live buffer
    const big = flk.fast.elementary('sqrt', new Float64Array(1 << 20).fill(81));
    assert.equal(big[big.length - 1], 9);
    assert.equal(flk.fast.elementary('sqrt', [49])[0], 7);
  });
}
