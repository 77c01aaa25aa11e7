// core/json/cached_powers.h (Grisu3's powers of ten) is what scripts/gen-cached-powers.mjs
// writes, and each entry is 10^k to within half a unit of its 64-bit significand, checked here
// with BigInt independently of the generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support/pack.mjs';

test('cached_powers.h equals the generator output', () => {
  execFileSync(process.execPath, [join(root, 'scripts/gen-cached-powers.mjs'), '--check']);
});

test('each cached power is 10^k rounded to nearest with the top bit set', () => {
  const text = readFileSync(join(root, 'core/json/cached_powers.h'), 'utf8');
  const rows = [...text.matchAll(/\{0x([0-9a-f]{16})ull, (-?\d+), (-?\d+)\}/g)];
  assert.equal(rows.length, 87);
  rows.forEach(([, hex, e, k], i) => {
    const f = BigInt(`0x${hex}`), be = BigInt(e), dk = BigInt(k);
    assert.equal(dk, BigInt(-348 + 8 * i));
    assert.ok(f >> 63n === 1n);
    // Rounded to nearest: 2 |f 2^e - 10^k| <= 2^e, scaled by 2^max(-e,0) 10^max(-k,0) to integers.
    const pos = (n) => (n > 0n ? n : 0n);
    const scaledF = f * 2n ** pos(be) * 10n ** pos(-dk);
    const scaledPow = 10n ** pos(dk) * 2n ** pos(-be);
    const scaledUnit = 2n ** pos(be) * 10n ** pos(-dk);
    const diff = scaledF > scaledPow ? scaledF - scaledPow : scaledPow - scaledF;
    assert.ok(2n * diff <= scaledUnit, `10^${k}`);
  });
});
