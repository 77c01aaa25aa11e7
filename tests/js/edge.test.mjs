// The edge gate for real: the Cloudflare Worker (wasi/cloudflare) bundled from the packed
// package the way wrangler bundles it and served by workerd on a loopback port, and the Fastly
// program (wasi/fastly) through its command interface and through stand-in hostcalls. Every
// request must get the same status and the same body bytes from all three.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadWasi } from '../../js/load-wasi.mjs';
import { BANDS, BEARER, edgeRequests, SERVICES, STATE_CHANGING_OPS } from './support/edge-requests.mjs';
import { handleCommand, handleHostcalls } from './support/fastly-host.mjs';
import { installPacked, root } from './support/pack.mjs';
import { bundleWorker, startWorkerd } from './support/workerd.mjs';

const reference = (await loadWasi()).callRaw;
const requests = edgeRequests(reference);
let workerd;
before(async () => {
  const { dir } = installPacked('worker');
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(root, 'wasi/cloudflare/src/worker.mjs'), join(dir, 'src/worker.mjs'));
  copyFileSync(join(root, 'docs/snippets/worker.mjs'), join(dir, 'snippet.mjs'));
  const gate = await bundleWorker(join(dir, 'src/worker.mjs'), dir, 'gate');
  const snippet = await bundleWorker(join(dir, 'snippet.mjs'), dir, 'snippet');
  workerd = await startWorkerd(dir, [
    ...Object.entries(SERVICES).map(([name, bindings]) => ({ name, modules: gate, bindings })),
    { name: 'snippet', modules: snippet, bindings: { FLK_PCS_KEY: SERVICES.gate.FLK_PCS_KEY } },
  ]);
});
after(() => workerd?.stop());

async function viaWorkerd(service, { method = 'POST', path, body, authorization }) {
  const headers = authorization === undefined ? {} : { authorization };
  const res = await fetch(workerd.urls[service] + path, { method, headers, body: method === 'GET' ? undefined : body });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate') };
}

for (const r of requests) {
  const service = r.service ?? 'gate';
  test(`edge route: ${r.name} (${r.method ?? 'POST'} ${r.path}, ${service})`, async (t) => {
    const w = await viaWorkerd(service, r);
    assert.equal(w.status, r.status, w.body.slice(0, 300));
    assert.equal(w.type, 'application/json');
    assert.equal(w.challenge, w.status === 401 ? 'Bearer' : null);
    const body = JSON.parse(w.body);
    if (r.status === 200 && r.path.startsWith('/call/')) assert.equal(w.body, reference(r.path.slice(6), r.body));
    if (r.status !== 200 && !r.action) assert.ok(body.error?.code, w.body); // /gate answers 202 and 409 with a decision
    if (r.action) assert.equal(body.decision.action, r.action, w.body);
    const settings = SERVICES[service];
    assert.deepEqual(handleCommand(r, settings), { status: w.status, body: w.body }, 'Fastly command interface vs workerd');
    const hc = handleHostcalls(r, settings);
    assert.deepEqual({ status: hc.status, body: hc.body }, { status: w.status, body: w.body }, 'Fastly hostcalls vs workerd');
    assert.equal(hc.headers['content-type'], 'application/json');
    assert.equal(hc.headers['www-authenticate'], w.status === 401 ? 'Bearer' : undefined);
    assert.equal(hc.calls.filter((c) => c === 'send_downstream').length, 1);
  });
}

test('anonymous clients cannot change the isolate\'s state; keyed clients can', async () => {
  const catalog = {
    format: 'flk.price_catalog.v1',
    version: 'edge-test',
    sources: [{ id: 's', name: 'test' }],
    models: [{ provider: 'p', model: 'm', source: 's', effective_from: '2026-01-01', prices: { input_mtok: '1', output_mtok: '2' } }],
  };
  const load = { path: '/call/cost.catalog.load', body: JSON.stringify({ catalog }) };
  const get = { path: '/call/cost.catalog.get', body: '{}', authorization: BEARER };
  const before = (await viaWorkerd('gate', get)).body;
  assert.equal((await viaWorkerd('gate', load)).status, 401);
  assert.equal((await viaWorkerd('gate', get)).body, before, 'an anonymous catalog load repriced the isolate');
  const loaded = await viaWorkerd('gate', { ...load, authorization: BEARER });
  assert.equal(loaded.status, 200, loaded.body);
  const after = JSON.parse((await viaWorkerd('gate', get)).body);
  assert.equal(after.version, 'edge-test');
  assert.equal((await viaWorkerd('gate', { path: '/call/cost.catalog.reset', body: '{}', authorization: BEARER })).status, 200);
  assert.equal((await viaWorkerd('gate', get)).body, before);
});

test('the default open list holds no state-changing op, and only ops the full build has', () => {
  const { ops } = JSON.parse(reference('ops', '{}'));
  const names = new Set(ops.map((o) => o.name));
  for (const op of names) {
    const r = JSON.parse(reference('gate.route', JSON.stringify({ method: 'POST', path: `/call/${op}` })));
    if (STATE_CHANGING_OPS.includes(op)) assert.equal(r.handler, 'refuse', `${op} is open`);
  }
  for (const op of STATE_CHANGING_OPS) assert.ok(names.has(op), `${op} is not an op`);
  const open = [...names].filter((op) => JSON.parse(reference('gate.route', JSON.stringify({ method: 'POST', path: `/call/${op}` }))).handler === 'call');
  assert.ok(open.includes('pcs.verify') && open.includes('hrs.score') && !open.some((op) => op.startsWith('cost.')), open.join());
});

test('/verify gives the verdict of pcs.verify under the configured key', async () => {
  const r = requests.find((q) => q.name === 'verify the golden PCS');
  const { verdict } = JSON.parse((await viaWorkerd('gate', r)).body);
  const key = JSON.parse(SERVICES.gate.FLK_PCS_KEY);
  assert.deepEqual(verdict, JSON.parse(reference('pcs.verify', JSON.stringify({ ...JSON.parse(r.body), key }))));
  const refused = JSON.parse((await viaWorkerd('gate', requests.find((q) => q.name.includes('client-sent key')))).body);
  assert.equal(refused.error.code, 'duplicate_key');
});

test('workerd runs the WASI reactor, and answers error codes the core defines', async () => {
  assert.equal(JSON.parse((await viaWorkerd('gate', { path: '/call/version', body: '{}' })).body).target, 'wasi');
  const e = JSON.parse((await viaWorkerd('gate', { path: '/call/routing.decide', body: '{"risk":2}' })).body).error;
  assert.deepEqual([e.code, e.path], ['out_of_range', '$.risk']);
  const unknown = { path: '/call/no.such_op', body: '{}', authorization: BEARER };
  assert.equal(JSON.parse((await viaWorkerd('gate', unknown)).body).error.code, 'unknown_op');
});

test('/score routes the HRS probability through routing.decide, with FLK_BANDS when set', async (t) => {
  const r = requests.find((q) => q.path === '/score' && q.status === 200);
  for (const [service, bands] of [['gate', undefined], ['banded', BANDS]]) {
    const { status, body } = await viaWorkerd(service, r);
    assert.equal(status, 200, body);
    const { decision, score } = JSON.parse(body);
    const expect = JSON.parse(reference('routing.decide', JSON.stringify({ risk: score.probability, bands })));
    assert.deepEqual(decision, expect);
  }
});

test("the README's Worker snippet runs in workerd", async () => {
  const key = JSON.parse(SERVICES.gate.FLK_PCS_KEY);
  for (const [name, status] of [['verify the golden PCS', 200], ['verify a tampered PCS', 401], ['verify a PCS the verifier escalates', 202]]) {
    const { pcs } = JSON.parse(requests.find((q) => q.name === name).body);
    const res = await viaWorkerd('snippet', { path: '/', body: JSON.stringify({ pcs }) });
    assert.equal(res.status, status, res.body);
    assert.deepEqual(JSON.parse(res.body), JSON.parse(reference('pcs.verify', JSON.stringify({ pcs, key }))));
  }
});
