// Tenants' policies in flk-server, on SQLite and PostgreSQL: a document is checked whole by the
// core before anything is written (a bad one answers 422 at its path and changes nothing), each
// change is a numbered version with who and why in the audit chain, the same document again is
// no change, history lists the versions and a one-step revert restores the one replaced; the
// policy directory makes its documents active at start and a bad file stops the start; and the
// verification gate (POST /v1/verify) decides under the tenant's active policies, naming them in
// the signed decision.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bothStores, cleanup, flkBin, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret', 'Content-Type': 'application/json' };
const doc = (name) => JSON.parse(readFileSync(new URL(`../data/policy/${name}`, import.meta.url), 'utf8'));
const ROUTING = doc('routing.json');
const STRICT = doc('routing-strict.json');
const ENSEMBLE = doc('ensemble.json');
const forTenant = (d, tenant) => ({ ...d, metadata: { ...d.metadata, tenant } });

async function call(srv, method, path, body) {
  const res = await fetch(srv.url + path, { method, headers: ADMIN, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
const put = (srv, tenant, policy, reason = 'test') =>
  call(srv, 'PUT', `/v1/admin/tenants/${tenant}/policies`, { policy, actor: 'alice', reason });

const stores = bothStores();
for (const storeKind of stores.kinds) {
  describe(`policies on ${storeKind}`, () => {
    let srv, dir;
    before(async () => {
      dir = tmp('flk-policies-');
      srv = await startServer({ data: dir, store: stores.database(storeKind),
        args: ['--tenants', 'acme:hmac:acme secret,beta:hmac:beta secret,gamma:hmac:gamma secret', '--admin-token', 'admin-secret', '--log-level', 'error'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('versions, no-op repeats, history, revert, and the audit chain', async () => {
      const first = await put(srv, 'acme', ROUTING, 'first bands');
      assert.equal(first.status, 201, JSON.stringify(first.json));
      assert.equal(first.json.version, 1);
      assert.equal(first.json.kind, 'RiskRoutingPolicy');
      assert.equal(first.json.name, 'acme-routing');
      assert.match(first.json.hash, /^sha256:[0-9a-f]{64}$/);
      const again = await put(srv, 'acme', ROUTING);
      assert.equal(again.status, 200);
      assert.equal(again.json.changed, false);
      assert.equal(again.json.version, 1);
      // The YAML twin is the same document: no change either.
      const yamlTwin = readFileSync(new URL('../data/policy/routing.yaml', import.meta.url), 'utf8');
      const viaYaml = await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy_yaml: yamlTwin, actor: 'alice', reason: 'yaml' });
      assert.equal(viaYaml.status, 200, JSON.stringify(viaYaml.json));
      assert.deepEqual([viaYaml.json.changed, viaYaml.json.hash], [false, first.json.hash]);
      const aliased = await call(srv, 'PUT', '/v1/admin/tenants/acme/policies',
        { policy_yaml: yamlTwin.replace('version: 3', 'version: *v'), actor: 'alice', reason: 'yaml' });
      assert.equal(aliased.status, 422);
      assert.deepEqual([aliased.json.error.code, aliased.json.error.path], ['bad_yaml', '$.policy_yaml.metadata.version']);
      const unknown = await call(srv, 'PUT', '/v1/admin/tenants/acme/policies',
        { policy_yaml: yamlTwin.replace('  fail_mode: closed\n', '  fail_mode: closed\n  fail_fast: true\n'), actor: 'alice', reason: 'yaml' });
      assert.equal(unknown.status, 422);
      assert.deepEqual([unknown.json.error.code, unknown.json.error.path], ['unknown_field', '$.policy_yaml.spec.fail_fast']);
      assert.match(unknown.json.error.message, /^15:3: /, 'a checked YAML document says where the error is in the text');
      assert.equal((await put(srv, 'acme', ENSEMBLE)).json.version, 2);
      const strict = await put(srv, 'acme', STRICT, 'tighter bands');
      assert.equal(strict.status, 201);
      assert.equal(strict.json.version, 3);

      const active = await call(srv, 'GET', '/v1/admin/tenants/acme/policies');
      assert.deepEqual(active.json.policies.map((p) => [p.kind, p.version]), [['EnsemblePolicy', 2], ['RiskRoutingPolicy', 3]]);
      assert.deepEqual(active.json.policies[1].policy, STRICT);

      const back = await call(srv, 'POST', '/v1/admin/tenants/acme/policies/RiskRoutingPolicy/revert', { actor: 'bob', reason: 'escalations doubled' });
      assert.equal(back.status, 201, JSON.stringify(back.json));
      assert.equal(back.json.version, 4);
      assert.equal(back.json.reverts, 1);
      assert.equal(back.json.hash, first.json.hash);
      const history = await call(srv, 'GET', '/v1/admin/tenants/acme/policies/history?kind=RiskRoutingPolicy');
      assert.deepEqual(history.json.versions.map((v) => [v.version, v.actor, v.reason]),
        [[4, 'bob', 'escalations doubled'], [3, 'alice', 'tighter bands'], [1, 'alice', 'first bands']]);
      const v3 = await call(srv, 'GET', '/v1/admin/tenants/acme/policies/versions/3');
      assert.deepEqual(v3.json.policy, STRICT);
      assert.equal((await call(srv, 'GET', '/v1/admin/tenants/acme/policies/versions/9')).status, 404);
      for (const bad of ['0', '-1', '3x', '%2B3', '99999999999999999999']) {
        const r = await call(srv, 'GET', `/v1/admin/tenants/acme/policies/versions/${bad}`);
        assert.equal(r.status, 422, bad);
        assert.deepEqual([r.json.error.code, r.json.error.path], ['out_of_range', 'version'], bad);
      }
      const none = await call(srv, 'POST', '/v1/admin/tenants/beta/policies/RiskRoutingPolicy/revert', { actor: 'bob', reason: 'r' });
      assert.equal(none.status, 409);
      assert.equal(none.json.error.code, 'nothing_to_revert');
      // A kind that does not exist is refused, not answered with an empty history or nothing to revert.
      for (const r of [await call(srv, 'GET', '/v1/admin/tenants/acme/policies/history?kind=RiskRoutingpolicy'),
        await call(srv, 'POST', '/v1/admin/tenants/acme/policies/Routing/revert', { actor: 'bob', reason: 'r' })]) {
        assert.equal(r.status, 422, r.text);
        assert.deepEqual([r.json.error.code, r.json.error.path], ['out_of_range', 'kind']);
      }

      const audit = (await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text())
        .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type.startsWith('policy.'));
      assert.deepEqual(audit.map((e) => [e.type, e.data.version, e.data.actor]),
        [['policy.updated', 1, 'alice'], ['policy.updated', 2, 'alice'], ['policy.updated', 3, 'alice'], ['policy.reverted', 4, 'bob']]);
      assert.equal(audit[3].data.reverts, 1);
      assert.equal(audit[3].data.hash, first.json.hash);
    });

    test('the gate routes by the active RiskRoutingPolicy and names it; a revert restores the bands', async () => {
      const body = JSON.stringify({ question: 'When was the tower finished?', context: 'The tower was finished in 1889.',
        answer: 'It was finished in 1889.', task: 'rag' });
      const verify = () => fetch(`${srv.url}/v1/verify`, { method: 'POST', body, headers: { 'Content-Type': 'application/json',
        'X-Tenant-Id': 'beta', 'X-Flk-Signature': createHmac('sha256', 'beta secret').update(body).digest('base64') } })
        .then(async (r) => ({ status: r.status, json: await r.json() }));
      const before = await verify();
      assert.ok([200, 202].includes(before.status), JSON.stringify(before.json));
      assert.equal(before.json.policies, undefined);
      // Every risk is rejected for the task "rag" by an override.
      const rejecting = forTenant(structuredClone(ROUTING), 'beta');
      rejecting.metadata.name = 'beta-routing';
      rejecting.spec.selector = "tenant == 'beta'";
      rejecting.spec.overrides = [{ when: "attributes.task == 'rag'", action: 'reject' }];
      const set = await put(srv, 'beta', rejecting, 'reject rag answers');
      assert.equal(set.status, 201, JSON.stringify(set.json));
      const during = await verify();
      assert.equal(during.status, 409, JSON.stringify(during.json));
      const routing = during.json.decision.routing;
      assert.equal(routing.action, 'reject');
      assert.equal(routing.reason, 'override');
      assert.deepEqual(routing.policy, { name: 'beta-routing', version: 3, hash: set.json.hash });
      assert.deepEqual(during.json.policies.map((p) => [p.kind, p.name, p.hash]), [['RiskRoutingPolicy', 'beta-routing', set.json.hash]]);
      assert.notEqual(during.json.decision.policy_id, before.json.decision.policy_id);
      const key = await (await fetch(`${srv.url}/v1/verify/key`)).json();
      const check = spawnSync(flkBin, ['call', 'gate.check_decision'], {
        input: JSON.stringify({ decision: during.json, public_key_b64: key.public_key_b64 }), encoding: 'utf8' });
      assert.equal(JSON.parse(check.stdout).valid, true, 'the decision naming the policy is signed');

      const removed = await call(srv, 'POST', '/v1/admin/tenants/beta/policies/RiskRoutingPolicy/revert', { actor: 'bob', reason: 'r' });
      assert.equal(removed.status, 409, 'nothing before the first version: a revert has nowhere to go');
      const lenient = forTenant(structuredClone(rejecting), 'beta');
      lenient.spec.overrides = [];
      lenient.spec.bands = [{ name: 'all', min_risk: 0, max_risk: 1, action: 'alternate_region', region: 'eu-west-1' }];
      assert.equal((await put(srv, 'beta', lenient, 'serve everything from eu')).status, 201);
      const after = await verify();
      assert.equal(after.json.decision.routing.action, 'alternate_region');
      assert.equal(after.json.decision.routing.region, 'eu-west-1');
      assert.equal(after.json.decision.steps.find((s) => s.step === 'routing').action, 'accept');
      const back = await call(srv, 'POST', '/v1/admin/tenants/beta/policies/RiskRoutingPolicy/revert', { actor: 'bob', reason: 'r' });
      assert.equal(back.status, 201);
      assert.equal((await verify()).status, 409, 'the revert restored the rejecting policy');
    });

    test('a bad document is refused at its path and nothing is written', async () => {
      const bad = structuredClone(forTenant(ROUTING, 'gamma'));
      bad.spec.bands[1].min_risk = 0.35;  // a gap: bands must tile [0, 1]
      const r = await put(srv, 'gamma', bad);
      assert.equal(r.status, 422);
      assert.match(r.json.error.path, /^\$\.policy\.spec\.bands/);
      const other = await put(srv, 'gamma', ROUTING);
      assert.equal(other.status, 422, 'a document for another tenant');
      assert.equal(other.json.error.path, '$.policy.metadata.tenant');
      const missing = await call(srv, 'PUT', '/v1/admin/tenants/gamma/policies', { policy: forTenant(ROUTING, 'gamma'), actor: 'alice' });
      assert.equal(missing.status, 422);
      assert.equal(missing.json.error.path, '$.reason');
      assert.deepEqual((await call(srv, 'GET', '/v1/admin/tenants/gamma/policies')).json.policies, []);
      assert.equal((await call(srv, 'GET', '/v1/admin/tenants/nobody/policies')).status, 404);
      const anon = await fetch(`${srv.url}/v1/admin/tenants/gamma/policies`);
      assert.equal(anon.status, 401);
    });
  });
}

test('the policy directory is applied at start, once; a bad file stops the start', async () => {
  const dir = tmp('flk-policy-dir-');
  const pdir = join(dir, 'policies');
  mkdirSync(join(pdir, 'acme'), { recursive: true });
  // YAML files load like JSON ones: routing.yaml is the twin of routing.json.
  writeFileSync(join(pdir, 'acme', 'routing.yaml'), readFileSync(new URL('../data/policy/routing.yaml', import.meta.url)));
  writeFileSync(join(pdir, 'acme', 'ensemble.json'), JSON.stringify(ENSEMBLE));
  const args = ['--tenants', 'acme:hmac:acme secret', '--admin-token', 'admin-secret', '--log-level', 'error', '--policy-dir', pdir];
  try {
    for (const round of [1, 2]) {
      const srv = await startServer({ data: dir, args });
      const active = await call(srv, 'GET', '/v1/admin/tenants/acme/policies');
      assert.deepEqual(active.json.policies.map((p) => [p.kind, p.version, p.actor, p.reason]),
        [['EnsemblePolicy', 1, 'policy-dir', 'file acme/ensemble.json'], ['RiskRoutingPolicy', 2, 'policy-dir', 'file acme/routing.yaml']],
        `round ${round}: a restart with the same files is no change`);
      assert.deepEqual(active.json.policies[1].policy, ROUTING);
      await srv.stop();
    }
    const bad = structuredClone(STRICT);
    bad.spec.bands = [];
    writeFileSync(join(pdir, 'acme', 'routing.json'), JSON.stringify(bad));
    writeFileSync(join(pdir, 'acme', 'ensemble.json'), JSON.stringify({ ...ENSEMBLE, metadata: { ...ENSEMBLE.metadata, version: 9 } }));
    // the path is the file's own ($.spec.bands), not the op's ($.policy.spec.bands)
    await assert.rejects(startServer({ data: dir, args }), /policy-dir acme\/routing\.json: \$\.spec\.bands/);
    const srv = await startServer({ data: dir, args: args.slice(0, -2) });
    const history = await call(srv, 'GET', '/v1/admin/tenants/acme/policies/history');
    assert.equal(history.json.versions.length, 2, 'the good file next to the bad one was not applied either');
    await srv.stop();
  } finally {
    cleanup(dir);
  }
});
