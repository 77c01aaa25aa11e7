// Every golden vector (tests/golden/*.json) through every build: the answer must match the
// expectation, and all builds must print the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { engines, notInVariant, root } from './engines.mjs';

const dir = `${root}tests/golden/`;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

const inputText = (c) => c.input_json ?? JSON.stringify(c.input);

function check(c, line) {
  const got = JSON.parse(line);
  if (c.expect.error) {
    assert.ok(got.error, `${c.name}: expected error ${c.expect.error.code}, got ${line.slice(0, 300)}`);
    for (const [k, v] of Object.entries(c.expect.error)) assert.equal(got.error[k], v, `${c.name}: error.${k}`);
  } else if (c.match === 'subset') {
    for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(got[k], v, `${c.name}: ${k}`);
  } else {
    assert.deepEqual(got, c.expect, c.name);
  }
}

for (const f of files) {
  test(`golden ${f}`, async () => {
    const { cases } = JSON.parse(readFileSync(dir + f, 'utf8'));
    assert.ok(cases.length > 0);
    const calls = cases.map((c) => [c.op, inputText(c)]);
    const e = await engines();
    const outs = Object.fromEntries(Object.entries(e).map(([name, fn]) => [name, fn(calls)]));
    cases.forEach((c, i) => {
      check(c, outs.native[i]);
      for (const name of Object.keys(outs)) {
        if (notInVariant[name]?.(c.op)) {
          assert.equal(JSON.parse(outs[name][i]).error?.code, 'unknown_op', `${f} / ${c.name}: ${name} has ${c.op}`);
          continue;
        }
        assert.equal(outs[name][i], outs.native[i], `${f} / ${c.name}: ${name} differs from native`);
      }
    });
  });
}
