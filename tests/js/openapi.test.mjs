// docs/openapi.yaml against the server itself: the same routes (flk-server --list-routes), and
// every operation with a summary, its responses and its path parameters declared (on the
// operation or on its path).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { root } from './engines.mjs';
import { serverBin } from './server-harness.mjs';

const doc = parse(readFileSync(`${root}docs/openapi.yaml`, 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ route: `${m.toUpperCase()} ${path}`, path, op: item[m], shared: item.parameters ?? [] })));

test('the document names exactly the routes the server serves', () => {
  const r = spawnSync(serverBin, ['--list-routes'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const served = r.stdout.trim().split('\n').sort();
  assert.equal(new Set(served).size, served.length, 'a route is registered twice');
  assert.deepEqual(documented.map((d) => d.route).sort(), served);
});

test('every operation has a summary, responses and its path parameters', () => {
  assert.equal(doc.openapi, '3.0.3');
  const resolve = (p) => (p.$ref ? p.$ref.split('/').slice(1).reduce((o, k) => o[k], doc) : p);
  for (const { route, path, op, shared } of documented) {
    assert.ok(op.summary, `${route}: summary`);
    assert.ok(Object.keys(op.responses ?? {}).length, `${route}: responses`);
    const inPath = [...shared, ...(op.parameters ?? [])].map(resolve).filter((p) => p.in === 'path').map((p) => p.name).sort();
    const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(inPath, named, `${route}: path parameters`);
  }
});
