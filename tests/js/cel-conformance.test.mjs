// The CEL specification's conformance suite (npm @bufbuild/cel-spec) through policy.cel_eval in
// every build. Each claimed section must pass every case that stays inside the subset (docs/policy.md,
// "Conformance"); cases that need a feature outside it are counted, not run as passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimed, conformanceCases, outsideReason, passes } from './cel-cases.mjs';
import { engines } from './engines.mjs';

test('CEL conformance: claimed sections pass inside the subset, the same bytes in every build', async () => {
  const cases = conformanceCases().filter((c) => claimed.includes(c.section));
  assert.equal(new Set(cases.map((c) => c.section)).size, claimed.length, 'every claimed section exists');
  const calls = cases.map((c) => ['policy.cel_eval', JSON.stringify(c.input)]);
  const outs = Object.fromEntries(Object.entries(await engines('policy.cel_eval')).map(([n, fn]) => [n, fn(calls)]));
  const tally = {};
  cases.forEach((c, i) => {
    const t = (tally[c.section] ??= { pass: 0, outside: 0, total: 0 });
    t.total++;
    for (const name of Object.keys(outs)) assert.equal(outs[name][i], outs.native[i], `${c.name}: ${name} differs`);
    const reason = outsideReason(c.input.expr);
    if (reason) {
      t.outside++;
      return;
    }
    assert.ok(passes(c, outs.native[i]), `${c.section} ${c.name}: ${c.input.expr} => ${outs.native[i]}`);
    t.pass++;
  });
  if (process.env.FLK_CEL_TABLE)
    for (const [s, t] of Object.entries(tally)) console.log(`| ${s} | ${t.pass} | ${t.outside} | ${t.total} |`);
});
