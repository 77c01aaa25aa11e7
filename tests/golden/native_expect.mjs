// The last step the case generators share: one `flk batch` run of the native build answers every
// case in order; a case written with an expected error must get that code (and path), every other
// case takes the native answer as its expectation. Inputs over 4 KB are stored as input_json so
// the file keeps one line per large input.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';

export function expectFromNative(cases, root) {
  const batch = cases.map((c) => JSON.stringify({ op: c.op, input: c.input })).join('\n') + '\n';
  const r = spawnSync(`${root}dist/native/flk`, ['batch'], { input: batch, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = r.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l));
  assert.equal(out.length, cases.length);
  cases.forEach((c, i) => {
    if (c.expect) {
      assert.equal(out[i].error?.code, c.expect.error.code, `${c.name}: ${JSON.stringify(out[i]).slice(0, 300)}`);
      if (c.expect.error.path) assert.equal(out[i].error.path, c.expect.error.path, c.name);
    } else {
      assert.ok(!out[i].error, `${c.name}: ${JSON.stringify(out[i]).slice(0, 300)}`);
      c.expect = out[i];
    }
  });
  for (const c of cases) {
    const text = JSON.stringify(c.input);
    if (text.length > 4096) {
      c.input_json = text;
      delete c.input;
    }
  }
}
