// The policy simulator as an admin route (POST /v1/admin/tenants/{tenant}/policies/simulate), on
// SQLite and PostgreSQL: decisions recorded through POST /v1/verify are replayed through a
// stricter candidate against the active policy (or the recorded actions), and the report matches
// a replay through the live server: with the candidate active, the same requests are routed to
// exactly the report's candidate actions, and the ones that changed are the report's changed ids.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { bothStores, cleanup, flkBin, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret', 'Content-Type': 'application/json' };
const doc = (name) => JSON.parse(readFileSync(new URL(`../data/policy/${name}`, import.meta.url), 'utf8'));
const ROUTING = doc('routing.json');
// Stricter bands, and every qa answer above a low risk held for a person (an attribute the replay
// must carry).
const CANDIDATE = doc('routing-strict.json');
CANDIDATE.spec.overrides = [{ when: "attributes.task == 'qa' && risk >= 0.05", action: 'human_review' }];

const REQUESTS = [
  ['When was the tower finished?', 'The tower was finished in 1889.', 'It was finished in 1889.', 'rag'],
  ['When was the tower finished?', 'The tower was finished in 1889.', 'It was finished in 1925 by a Roman emperor.', 'rag'],
  ['Who wrote the report?', 'The report was written by the audit team in March.', 'The audit team wrote it in March.', 'qa'],
  ['Who wrote the report?', 'The report was written by the audit team in March.', 'It was written by 14 senators in 1702 in Lisbon.', 'qa'],
  ['How tall is the tower?', 'The tower is 330 metres tall.', 'It is 330 metres tall.', 'qa'],
  ['How tall is the tower?', 'The tower is 330 metres tall.', 'It is about 12 metres, built of glass in 2011 by 40 workers.', 'rag'],
  ['What is the capital?', '', 'The capital is Paris.', 'qa'],
  ['What colour is the sky?', 'The sky looks blue on a clear day.', 'The sky is green and purple at noon, 7 days a week.', 'rag'],
].map(([question, context, answer, task]) => JSON.stringify({ question, context, answer, task }));

async function call(srv, method, path, body) {
  const res = await fetch(srv.url + path, { method, headers: ADMIN, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
const signed = (tenant, body) => ({ 'Content-Type': 'application/json', 'X-Tenant-Id': tenant,
  'X-Flk-Signature': createHmac('sha256', `${tenant} secret`).update(body).digest('base64') });
async function verify(srv, tenant, body) {
  const res = await fetch(`${srv.url}/v1/verify`, { method: 'POST', body, headers: signed(tenant, body) });
  const json = await res.json();
  assert.ok([200, 202, 409].includes(res.status), JSON.stringify(json));
  return json;
}
const count = (actions) => actions.reduce((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {});
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const simulate = (srv, tenant, body) => call(srv, 'POST', `/v1/admin/tenants/${tenant}/policies/simulate`, body);

const stores = bothStores();
for (const storeKind of stores.kinds) {
  describe(`policy simulation on ${storeKind}`, () => {
    let srv, dir;
    before(async () => {
      dir = tmp('flk-simulate-');
      srv = await startServer({ data: dir, store: stores.database(storeKind),
        args: ['--tenants', 'acme:hmac:acme secret,beta:hmac:beta secret', '--admin-token', 'admin-secret', '--log-level', 'error'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('the report on recorded decisions matches a replay through the live server', async () => {
      assert.equal((await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy: ROUTING, actor: 'alice', reason: 'bands' })).status, 201);
      const first = [];
      for (const body of REQUESTS) first.push(await verify(srv, 'acme', body));
      const label = JSON.stringify({ verification_id: first[1].verification_id, label: 'hallucinated' });
      assert.equal((await fetch(`${srv.url}/v1/labels`, { method: 'POST', body: label, headers: signed('acme', label) })).status, 200);

      const report = await simulate(srv, 'acme', { policy: CANDIDATE });
      assert.equal(report.status, 200, JSON.stringify(report.json));
      const r = report.json;
      assert.equal(r.against, 'active');
      assert.equal(r.baseline.hash, first[0].policies[0].hash);
      assert.deepEqual(r.decisions, { read: REQUESTS.length, unrouted: 0, limit: 10000 });
      assert.equal(r.requests, REQUESTS.length);
      assert.equal(r.containment.hallucinated, 1);
      assert.deepEqual(sorted(r.actions.baseline), sorted(count(first.map((d) => d.decision.routing.action))));
      assert.ok(r.changed > 0, 'the stricter candidate changes some decisions');

      assert.equal((await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy: CANDIDATE, actor: 'alice', reason: 'stricter' })).status, 201);
      const replay = [];
      for (const body of REQUESTS) replay.push(await verify(srv, 'acme', body));
      assert.deepEqual(sorted(r.actions.candidate), sorted(count(replay.map((d) => d.decision.routing.action))));
      const changed = first.filter((d, i) => d.decision.routing.action !== replay[i].decision.routing.action).map((d) => d.verification_id);
      assert.deepEqual([...r.changed_ids].sort(), changed.sort());
      assert.equal(r.changed, changed.length);
      assert.ok(replay.some((d) => d.decision.routing.reason === 'override'), 'the task attribute was replayed');

      // The newest decisions first, bounded by limit; the same inputs give the same report.
      const two = await simulate(srv, 'acme', { policy: CANDIDATE, baseline: ROUTING, limit: 2 });
      assert.equal(two.status, 200, JSON.stringify(two.json));
      assert.equal(two.json.against, 'baseline');
      assert.deepEqual(two.json.decisions, { read: 2, unrouted: 0, limit: 2 });
      const again = await simulate(srv, 'acme', { policy: CANDIDATE, baseline: ROUTING, limit: 2 });
      assert.deepEqual(again.json, two.json);
      const routingYaml = readFileSync(new URL('../data/policy/routing.yaml', import.meta.url), 'utf8');
      const viaYaml = await simulate(srv, 'acme', { policy: CANDIDATE, baseline_yaml: routingYaml, limit: 2 });
      assert.deepEqual(viaYaml.json, two.json, 'a YAML baseline is its JSON twin');

      // flk policy simulate --server asks the same route: the same report from files.
      const candidateFile = `${dir}/candidate.json`;
      writeFileSync(candidateFile, JSON.stringify(CANDIDATE));
      const cli = (...extra) => spawnSync(flkBin, ['policy', 'simulate', '--policy', candidateFile, '--server', srv.url, '--tenant', 'acme',
        '--admin-token', 'admin-secret', '--baseline', new URL('../data/policy/routing.yaml', import.meta.url).pathname, ...extra], { encoding: 'utf8' });
      const viaCli = cli('--limit', '2');
      assert.equal(viaCli.status, 0, viaCli.stderr);
      assert.deepEqual(JSON.parse(viaCli.stdout), two.json);
      const badLimit = cli('--limit', '2x');  // the flag's spec says so before any request is sent
      assert.equal(badLimit.status, 1);
      assert.equal(badLimit.stderr, 'flk: policy simulate: --limit takes an integer from 1 to 20000, got "2x" (see flk --help)\n');
    });

    test('without an active policy the recorded actions are the baseline', async () => {
      const beta = structuredClone(CANDIDATE);
      beta.metadata.tenant = 'beta';
      beta.spec.selector = "tenant == 'beta'";
      const recorded = [];
      for (const body of REQUESTS.slice(0, 4)) recorded.push(await verify(srv, 'beta', body));
      const r = await simulate(srv, 'beta', { policy: beta });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.against, 'recorded');
      assert.equal(r.json.baseline, undefined);
      assert.deepEqual(sorted(r.json.actions.baseline), sorted(count(recorded.map((d) => d.decision.routing.action))));
    });

    test('bad input is refused with its path; admin only', async () => {
      const bad = structuredClone(CANDIDATE);
      bad.spec.bands[1].min_risk = 0.35;
      const r = await simulate(srv, 'acme', { policy: bad });
      assert.equal(r.status, 422);
      assert.match(r.json.error.path, /^\$\.policy\.spec\.bands/);
      const big = await simulate(srv, 'acme', { policy: CANDIDATE, limit: 20001 });
      assert.equal(big.status, 422);
      assert.equal(big.json.error.path, '$.limit');
      const extra = await simulate(srv, 'acme', { policy: CANDIDATE, trace: [] });
      assert.equal(extra.status, 422);
      assert.equal(extra.json.error.path, '$.trace');
      assert.equal((await simulate(srv, 'nobody', { policy: CANDIDATE })).status, 404);
      const anon = await fetch(`${srv.url}/v1/admin/tenants/acme/policies/simulate`, { method: 'POST', body: '{}' });
      assert.equal(anon.status, 401);
    });
  });
}
