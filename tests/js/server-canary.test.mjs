// Canary rollouts in flk-server, on SQLite and PostgreSQL: a candidate RiskRoutingPolicy takes a
// consistent-hash share of POST /v1/verify, the core's gate compares the cohorts every few requests
// (or every few hundred milliseconds) and the core's step moves the rollout. A candidate that
// escalates everything is rolled back after two failed gates and the active policy stays; a
// candidate routing as the active one does is promoted and becomes the active policy (actor
// "canary"); a candidate that serves answers labelled hallucinated (POST /v1/labels) which the
// baseline holds is rolled back on containment. Every gate is audited and counted in /metrics, and a
// restart resumes a running rollout where it stood, its observations kept. Two instances on one
// PostgreSQL judge one set of cohorts and step the rollout once per evaluation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { bothStores, cleanup, flkBin, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret', 'Content-Type': 'application/json' };
const doc = (name) => JSON.parse(readFileSync(new URL(`../data/policy/${name}`, import.meta.url), 'utf8'));
const ROUTING = doc('routing.json');
const canaryFor = (target) => {
  const c = doc('canary.json');
  c.spec = { target, steps: [50, 100], min_samples: 10, max_samples: 20, max_failed_gates: 2,
    metrics: [{ name: 'escalation_rate', direction: 'lower_is_better', tolerance: 0.1 },
      { name: 'error_rate', direction: 'lower_is_better', tolerance: 0.1 }] };
  return c;
};
// Holds every answer for a person whatever its risk.
const WORSE = structuredClone(ROUTING);
WORSE.metadata.version = 90;
WORSE.spec.overrides = [];
WORSE.spec.bands = [{ name: 'all', min_risk: 0, max_risk: 1, action: 'human_review' }];
// Routes as the active policy does (another version, the same bands).
const EQUAL = structuredClone(ROUTING);
EQUAL.metadata.version = 91;

async function call(srv, method, path, body) {
  const res = await fetch(srv.url + path, { method, headers: ADMIN, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
// Holds every answer for a person, serves every answer.
const allBands = (version, action) => {
  const p = structuredClone(ROUTING);
  p.metadata.version = version;
  p.spec.overrides = [];
  p.spec.bands = [{ name: 'all', min_risk: 0, max_risk: 1, action }];
  return p;
};
let serial = 0;
const signed = (body) => ({ 'Content-Type': 'application/json', 'X-Tenant-Id': 'acme',
  'X-Flk-Signature': createHmac('sha256', 'acme secret').update(body).digest('base64') });
async function verify(srv, fields = {}) {
  const n = serial++;
  const body = JSON.stringify({ question: `When was tower ${n} finished?`, context: `Tower ${n} was finished in 1889.`,
    answer: `Tower ${n} was finished in 1889.`, task: 'rag', ...fields });
  const res = await fetch(`${srv.url}/v1/verify`, { method: 'POST', body, headers: signed(body) });
  return res.json();
}
async function label(srv, id, value) {
  const body = JSON.stringify({ verification_id: id, label: value });
  const res = await fetch(`${srv.url}/v1/labels`, { method: 'POST', body, headers: signed(body) });
  assert.equal(res.status, 200, await res.text());
}
const status = (srv) => call(srv, 'GET', '/v1/admin/tenants/acme/canary');
// Sends requests until the rollout ends (or `most` requests); answers the final status.
async function drive(srv, most) {
  for (let i = 0; i < most; ++i) {
    await verify(srv);
    if (i % 5 === 4 && (await status(srv)).json.state.status !== 'running') break;
  }
  return status(srv);
}
// The active policy (version `version`) holds every answer; a rollout of one serving every answer
// (version + 1) starts, judged on containment alone.
async function holdAllServeAll(srv, version, maxSamples) {
  const hold = await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy: allBands(version, 'human_review'), actor: 'alice', reason: 'hold all' });
  assert.equal(hold.status, 201, JSON.stringify(hold.json));
  const candidate = allBands(version + 1, 'accept');
  const canary = canaryFor(candidate.metadata.name);
  canary.spec.metrics = [{ name: 'containment', direction: 'higher_is_better', tolerance: 0.1 }];
  canary.spec.max_samples = maxSamples;
  const started = await call(srv, 'POST', '/v1/admin/tenants/acme/canary', { candidate, canary, actor: 'alice', reason: 'serve all', evaluate_every: 10 });
  assert.equal(started.status, 201, JSON.stringify(started.json));
}
const start = (srv, candidate, reason) => call(srv, 'POST', '/v1/admin/tenants/acme/canary',
  { candidate, canary: canaryFor(candidate.metadata.name), actor: 'alice', reason, evaluate_every: 10 });

const stores = bothStores();
for (const storeKind of stores.kinds) {
  describe(`canary rollouts on ${storeKind}`, () => {
    let srv, dir, store;
    const boot = async () => startServer({ data: dir, store,
      // The suite sends a few hundred requests a second: above the default per-tenant rate.
      args: ['--tenants', 'acme:hmac:acme secret', '--admin-token', 'admin-secret', '--log-level', 'error', '--rate-limit', '2000'] });
    before(async () => {
      dir = tmp('flk-canary-');
      store = stores.database(storeKind);
      srv = await boot();
      const set = await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy: ROUTING, actor: 'alice', reason: 'bands' });
      assert.equal(set.status, 201, JSON.stringify(set.json));
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('a candidate that escalates everything is rolled back after two failed gates', async () => {
      assert.equal((await status(srv)).status, 404);
      const started = await start(srv, WORSE, 'hold everything');
      assert.equal(started.status, 201, JSON.stringify(started.json));
      assert.deepEqual(started.json.state, { step: 0, failed_gates: 0, status: 'running', percent: 50 });
      assert.equal((await start(srv, EQUAL, 'again')).status, 409, 'one rollout at a time');
      const cohorts = [];
      for (let i = 0; i < 8; ++i) cohorts.push({ decision: await verify(srv) });
      assert.ok(cohorts.every((c) => c.decision.canary.rollout === started.json.rollout));
      const canary = cohorts.find((c) => c.decision.canary.cohort === 'canary');
      const baseline = cohorts.find((c) => c.decision.canary.cohort === 'baseline');
      assert.ok(canary && baseline, 'both cohorts get requests');
      assert.equal(canary.decision.decision.routing.action, 'human_review');
      assert.deepEqual(canary.decision.policies.map((p) => [p.version, p.hash, p.canary]), [[90, started.json.candidate_hash, started.json.rollout]]);
      assert.equal(baseline.decision.policies[0].version, ROUTING.metadata.version);

      // A restart resumes the rollout with the observations stored so far.
      const observed = (await status(srv)).json.observed;
      assert.equal(observed.baseline + observed.canary, 8, JSON.stringify(observed));
      await srv.stop();
      srv = await boot();
      const resumed = await status(srv);
      assert.equal(resumed.json.state?.status, 'running', JSON.stringify(resumed.json));
      assert.deepEqual({ ...resumed.json.observed, since_evaluation: undefined }, { ...observed, since_evaluation: undefined });

      const end = await drive(srv, 300);
      assert.equal(end.json.state.status, 'rolled_back', JSON.stringify(end.json.gates?.map((g) => g.verdict)));
      assert.equal(end.json.state.failed_gates, 2);
      const failed = end.json.gates.filter((g) => g.verdict === 'fail');
      assert.equal(failed.length, 2);
      const esc = failed[0].metrics.find((m) => m.name === 'escalation_rate');
      assert.ok(esc.mean_canary > esc.mean_baseline, JSON.stringify(esc));
      const active = await call(srv, 'GET', '/v1/admin/tenants/acme/policies');
      assert.equal(active.json.policies.find((p) => p.kind === 'RiskRoutingPolicy').policy.metadata.version, ROUTING.metadata.version);
      const after = await verify(srv);
      assert.equal(after.canary, undefined, 'no cohort once rolled back');

      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(metrics, /flk_canary_rollbacks_total\{tenant="acme"\} 1/);
      assert.match(metrics, /flk_canary_gates_total\{tenant="acme",verdict="fail"\} 2/);
      assert.match(metrics, /flk_canary_percent\{tenant="acme"\} 0/);
    });

    test('a candidate routing as the active policy does is promoted and made active by "canary"', async () => {
      const started = await start(srv, EQUAL, 'same bands, new version');
      assert.equal(started.status, 201, JSON.stringify(started.json));
      const end = await drive(srv, 300);
      assert.equal(end.json.state.status, 'promoted', JSON.stringify(end.json.gates?.map((g) => g.verdict)));
      assert.equal(end.json.state.percent, 100);
      assert.ok(end.json.gates.every((g) => g.verdict !== 'fail'));
      const active = await call(srv, 'GET', '/v1/admin/tenants/acme/policies');
      const routing = active.json.policies.find((p) => p.kind === 'RiskRoutingPolicy');
      assert.equal(routing.policy.metadata.version, EQUAL.metadata.version);
      assert.equal(routing.actor, 'canary');
      assert.equal(routing.hash, started.json.candidate_hash);

      const audit = (await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text())
        .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type.startsWith('canary.'));
      const types = audit.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'canary.started').length, 2);
      assert.equal(types.filter((t) => t === 'canary.rolled_back').length, 1);
      assert.equal(types.at(-1), 'canary.promoted');

      const cli = spawnSync(flkBin, ['canary', 'status', '--server', srv.url, '--tenant', 'acme', '--admin-token', 'admin-secret'], { encoding: 'utf8' });
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /promoted/);
    });

    test('an operator aborts a running rollout: nothing promoted, no cohort after', async () => {
      const abort = (body) => call(srv, 'POST', '/v1/admin/tenants/acme/canary/abort', body);
      const before = (await call(srv, 'GET', '/v1/admin/tenants/acme/policies')).json.policies;
      assert.equal((await abort({ actor: 'bob', reason: 'r' })).status, 409, 'none running');
      const candidate = structuredClone(EQUAL);
      candidate.metadata.version = 92;
      assert.equal((await start(srv, candidate, 'try')).status, 201);
      assert.ok((await verify(srv)).canary);
      assert.equal((await abort({ actor: 'bob' })).status, 422);
      const ended = await abort({ actor: 'bob', reason: 'pager went off' });
      assert.equal(ended.status, 200, JSON.stringify(ended.json));
      assert.equal(ended.json.state.status, 'aborted');
      assert.equal(ended.json.state.percent, 0);
      assert.equal((await status(srv)).json.state.status, 'aborted');
      assert.equal((await verify(srv)).canary, undefined);
      assert.deepEqual((await call(srv, 'GET', '/v1/admin/tenants/acme/policies')).json.policies, before);
    });

    test('a candidate serving answers labelled hallucinated that the baseline holds is rolled back on containment', async () => {
      // Recording stops at max_samples requests per cohort: room for min_samples labelled ones.
      await holdAllServeAll(srv, 93, 40);
      for (let i = 0; i < 300; ++i) {
        const d = await verify(srv);
        // Three answers in four are labelled hallucinated; unlabelled requests are not samples.
        if (i % 4 !== 3) await label(srv, d.verification_id, 'hallucinated');
        if (i % 5 === 4 && (await status(srv)).json.state.status !== 'running') break;
      }
      const end = await status(srv);
      assert.equal(end.json.state.status, 'rolled_back', JSON.stringify(end.json.gates?.map((g) => g.verdict)));
      const [first] = end.json.gates[0].metrics;
      // The first gate, at the 10th request: 7 labelled (the 4th and 8th are not, the 10th not yet).
      assert.equal(first.n_baseline + first.n_canary, 7, JSON.stringify(first));
      const failed = end.json.gates.filter((g) => g.verdict === 'fail');
      assert.equal(failed.length, 2);
      for (const g of failed) {
        const [m] = g.metrics;
        assert.equal(m.name, 'containment');
        assert.equal(m.mean_baseline, 1, 'the baseline held every hallucinated answer');
        assert.ok(m.mean_canary < 0.5, JSON.stringify(m));
      }
      const active = await call(srv, 'GET', '/v1/admin/tenants/acme/policies');
      assert.equal(active.json.policies.find((p) => p.kind === 'RiskRoutingPolicy').policy.metadata.version, 93);
    });

    test('full cohorts are still judged: labels that arrive after recording stopped count', async () => {
      await holdAllServeAll(srv, 95, 12);
      const ids = [];
      for (let i = 0; i < 60; ++i) ids.push((await verify(srv)).verification_id);
      const full = await status(srv);
      assert.deepEqual([full.json.observed.baseline, full.json.observed.canary], [12, 12], 'both cohorts full');
      assert.ok(full.json.gates.every((g) => g.verdict === 'inconclusive'), 'no labels yet');
      for (const id of ids) await label(srv, id, 'hallucinated');
      for (let i = 0; i < 10; ++i) await verify(srv);
      const judged = await status(srv);
      const last = judged.json.gates.at(-1);
      assert.equal(last.verdict, 'fail', JSON.stringify(judged.json.gates.map((g) => g.verdict)));
      assert.deepEqual([last.metrics[0].n_baseline, last.metrics[0].n_canary], [12, 12]);
      assert.equal(judged.json.state.failed_gates, 1);
      assert.equal((await call(srv, 'POST', '/v1/admin/tenants/acme/canary/abort', { actor: 'alice', reason: 'done' })).status, 200);
    });

    test('evaluate_every_ms evaluates by time, at most once per period', async () => {
      const candidate = allBands(95, 'human_review');
      const period = 400;
      const started = await call(srv, 'POST', '/v1/admin/tenants/acme/canary',
        { candidate, canary: canaryFor(candidate.metadata.name), actor: 'alice', reason: 'by time', evaluate_every_ms: period });
      assert.equal(started.status, 201, JSON.stringify(started.json));
      assert.equal(started.json.evaluate_every, undefined, 'no request count');
      assert.equal(started.json.evaluate_every_ms, period);
      let s;
      for (let i = 0; i < 400; ++i) {
        await verify(srv);
        s = (await status(srv)).json;
        if (s.gates.length >= 2 || s.state.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(s.gates.length >= 1, JSON.stringify(s));
      let last = started.json.started_ms;
      for (const g of s.gates) {
        assert.ok(g.at_ms - last >= period, `evaluated ${g.at_ms - last} ms after the last`);
        last = g.at_ms;
      }
      if (s.state.status === 'running') assert.equal((await call(srv, 'POST', '/v1/admin/tenants/acme/canary/abort', { actor: 'bob', reason: 'done' })).status, 200);
    });

    test('a candidate holding half the tasks costs more per trusted task and is rolled back', async () => {
      assert.equal((await call(srv, 'PUT', '/v1/admin/tenants/acme/policies', { policy: allBands(96, 'accept'), actor: 'alice', reason: 'serve all' })).status, 201);
      const candidate = allBands(97, 'accept');
      candidate.spec.overrides = [{ when: "has(attributes.task) && attributes.task == 'qa'", action: 'human_review' }];
      const canary = canaryFor(candidate.metadata.name);
      canary.spec.metrics = [{ name: 'cost_per_trusted_task', direction: 'lower_is_better', tolerance: 0.2 }];
      canary.spec.max_samples = 40;  // only accepted requests are samples
      const started = await call(srv, 'POST', '/v1/admin/tenants/acme/canary', { candidate, canary, actor: 'alice', reason: 'hold qa', evaluate_every: 10 });
      assert.equal(started.status, 201, JSON.stringify(started.json));
      for (let i = 0; i < 300; ++i) {
        await verify(srv, { task: i % 2 ? 'qa' : 'rag', usage: { cost_usd: 0.01 } });
        if (i % 5 === 4 && (await status(srv)).json.state.status !== 'running') break;
      }
      const end = await status(srv);
      assert.equal(end.json.state.status, 'rolled_back', JSON.stringify(end.json.gates?.slice(-2)));
      for (const g of end.json.gates.filter((x) => x.verdict === 'fail')) {
        const [m] = g.metrics;
        // The held qa requests' cost is charged to the trusted ones: about twice the baseline's.
        assert.ok(m.mean_canary > 1.5 * m.mean_baseline && m.mean_baseline > 0.0099, JSON.stringify(m));
      }
    });

    test('bad rollouts are refused with their path', async () => {
      const wrongTarget = await call(srv, 'POST', '/v1/admin/tenants/acme/canary',
        { candidate: EQUAL, canary: canaryFor('someone-else'), actor: 'alice', reason: 'r' });
      assert.equal(wrongTarget.status, 422);
      assert.equal(wrongTarget.json.error.path, '$.canary.spec.target');
      const labelled = canaryFor(EQUAL.metadata.name);
      labelled.spec.metrics.push({ name: 'containment', direction: 'lower_is_better', tolerance: 0.1 });
      const containment = await call(srv, 'POST', '/v1/admin/tenants/acme/canary', { candidate: EQUAL, canary: labelled, actor: 'alice', reason: 'r' });
      assert.equal(containment.status, 422, 'containment is worse when lower');
      assert.equal(containment.json.error.path, '$.canary.spec.metrics[2].direction');
      const notRouting = await call(srv, 'POST', '/v1/admin/tenants/acme/canary', { candidate: canaryFor('x'), canary: canaryFor('x'), actor: 'alice', reason: 'r' });
      assert.equal(notRouting.status, 422);
      assert.equal(notRouting.json.error.path, '$.candidate.kind');
      const gap = structuredClone(EQUAL);
      gap.spec.bands[1].min_risk = 0.35;
      const invalid = await call(srv, 'POST', '/v1/admin/tenants/acme/canary', { candidate: gap, canary: canaryFor(gap.metadata.name), actor: 'alice', reason: 'r' });
      assert.equal(invalid.status, 422);
      assert.match(invalid.json.error.path, /^\$\.candidate\.spec\.bands/);
      assert.equal((await fetch(`${srv.url}/v1/admin/tenants/acme/canary`)).status, 401);
    });
  });
}

describe('two instances on one PostgreSQL', () => {
  let a, b;
  const dirs = [];
  before(async () => {
    const store = stores.database('postgres');
    const boot = async () => {
      dirs.push(tmp('flk-canary2-'));
      return startServer({ data: dirs.at(-1), store,
        args: ['--tenants', 'acme:hmac:acme secret', '--admin-token', 'admin-secret', '--log-level', 'error'] });
    };
    a = await boot();
    b = await boot();
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    dirs.forEach(cleanup);
  });

  test('both instances\' requests land in one set of cohorts, and each evaluation steps the rollout once', async () => {
    assert.equal((await call(a, 'PUT', '/v1/admin/tenants/acme/policies', { policy: ROUTING, actor: 'alice', reason: 'bands' })).status, 201);
    const started = await start(a, WORSE, 'hold everything');
    assert.equal(started.status, 201, JSON.stringify(started.json));
    assert.equal((await start(b, EQUAL, 'on the other instance')).status, 409, 'one rollout per tenant across instances');
    const fromB = [];
    for (let i = 0; i < 400; ++i) {
      await verify(a);
      fromB.push(await verify(b));
      if (i % 5 === 4 && (await status(b)).json.state.status !== 'running') break;
    }
    assert.ok(fromB.slice(0, 10).every((d) => d.canary?.rollout === started.json.rollout), 'b routes the rollout a started');
    const end = await status(b);
    assert.equal(end.json.state.status, 'rolled_back', JSON.stringify(end.json.gates?.map((g) => g.verdict)));
    const first = end.json.gates[0].metrics.find((m) => m.name === 'escalation_rate');
    // a evaluates at its 10th request, after 10 of its own and 9 of b's.
    assert.equal(first.n_baseline + first.n_canary, 19, JSON.stringify(first));
    assert.equal(end.json.gates.filter((g) => g.verdict === 'fail').length, 2);
    const audit = (await (await fetch(`${a.url}/v1/admin/audit`, { headers: ADMIN })).text())
      .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type.startsWith('canary.'));
    assert.equal(audit.filter((e) => e.type === 'canary.rolled_back').length, 1);
    assert.equal(audit.length, 1 + end.json.gates.length, 'one audit entry per stored evaluation');
  });
});
