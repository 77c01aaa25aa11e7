// The TypeScript types are generated from the op table and must be current, and a typed
// usage example must compile against the package's own exports map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { root } from './engines.mjs';

test('js/ops.d.ts and docs/ops.md are generated from the current op table', () => {
  const r = spawnSync(process.execPath, [`${root}scripts/gen-types.mjs`, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('tsc --noEmit accepts the typed usage example', () => {
  const r = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tests/js/types/tsconfig.json`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
