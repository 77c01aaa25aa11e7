// End to end on both stores: budgets enforced on usage events (hard cap refused with nothing
// charged, soft threshold audited, retries not double counted, spend surviving a restart),
// GET /v1/budget/{tenant} and GET /v1/cost/report with their authorisation (admin token or the
// tenant's own signature; never another tenant), billing uploads and reconciliation, rate
// limits, typed errors for bad input, and a SIGKILL while charging (spend = stored events, cap held).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bothStores, cleanup, isoDay as day, pcsFactory, post, startServer, tmp, usdNanos as nanos } from './server-harness.mjs';

const ACME = { alg: 'hmac', key_text: 'acme-secret' };
const OTHER = { alg: 'hmac', key_text: 'other-secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const USAGE = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };

function tenantsFile(dir) {
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify({
    tenants: [
      { id: 'acme', keys: [{ kid: 'a1', key: ACME }] },
      { id: 'other', keys: [{ kid: 'o1', key: OTHER }] },
      { id: 'slow', rate_per_sec: 0.01, burst: 2, keys: [{ kid: 's1', key: OTHER }] },
    ],
  }));
  return path;
}
const args = (dir) => ['--tenants-file', tenantsFile(dir), '--admin-token', 'admin-secret', '--rate-limit', '100000',
  '--log-level', 'warn'];

// Nano-dollars as the facade's decimal USD text.
const usdText = (n) => `${n / 10n ** 9n}.${String(n % 10n ** 9n).padStart(9, '0')}`;

const stores = bothStores();
let flk;
before(async () => {
  flk = (await pcsFactory()).flk;
});

for (const kind of stores.kinds) {
  describe(`cost routes on ${kind}`, () => {
    let dir, srv, database;
    const start = () => startServer({ data: dir, store: database, args: args(dir) });
    before(async () => {
      dir = tmp('flk-e2e-cost-');
      database = stores.database(kind);
      srv = await start();
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    const sig = (key, text) => flk.crypto.hmac_sha256({ key_text: key.key_text, message_text: text }).mac_b64;
    const charge = (tenant, key, ids) => {
      const body = JSON.stringify(ids.length === 1 ? { event_id: ids[0], model: 'gpt-4o', usage: USAGE }
        : { events: ids.map((id) => ({ event_id: id, model: 'gpt-4o', usage: USAGE })) });
      return post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sig(key, body) });
    };
    // A GET signed by the tenant: X-Flk-Signature over "GET <path>?<query>" with ts in the query.
    const signedGet = (path, query, key, headers = {}, ts = Date.now()) => {
      const q = `${query ? `${query}&` : ''}ts=${ts}`;
      return fetch(`${srv.url}${path}?${q}`, { headers: { 'X-Flk-Signature': sig(key, `GET ${path}?${q}`), ...headers } });
    };
    const cost = () => nanos(flk.call('cost.usage', { model: 'gpt-4o', usage: USAGE }).total_usd);

    test('a tenant budget refuses the event that would cross the hard cap and charges nothing', async () => {
      const each = cost();
      // Cap at 3.5 events: the 3rd crosses the 0.7 degrade threshold, the 4th would cross the cap.
      const cap = usdText((each * 7n) / 2n);
      const bad = await fetch(`${srv.url}/v1/admin/tenants/acme`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ budget: { cap_usd: '-1', window: 'monthly' } }) });
      assert.equal(bad.status, 422);
      assert.equal((await bad.json()).error.path, '$.budget.cap_usd');
      const pre = await fetch(`${srv.url}/v1/admin/tenants/acme`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ budget: { cap_usd: cap, window: 'monthly', preemptive: 'yes' } }) });
      assert.equal(pre.status, 422);
      assert.equal((await pre.json()).error.path, '$.budget.preemptive');
      const put = await fetch(`${srv.url}/v1/admin/tenants/acme`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ budget: { cap_usd: cap, window: 'monthly' } }) });
      assert.equal(put.status, 200, await put.text());
      const listed = (await (await fetch(`${srv.url}/v1/admin/tenants`, { headers: ADMIN })).json()).tenants;
      assert.deepEqual(listed.find((t) => t.id === 'acme').budget, { cap_usd: cap, window: 'monthly', preemptive: false });
      assert.equal(listed.find((t) => t.id === 'other').budget, undefined);

      for (const id of ['e1', 'e2', 'e3']) assert.equal((await charge('acme', ACME, [id])).status, 200);
      const refused = await charge('acme', ACME, ['e4']);
      assert.equal(refused.status, 402, refused.text);
      assert.equal(refused.json.error.code, 'budget_exceeded');
      assert.match(refused.json.error.message, /would bring spend to/);
      // Retries: a charged event stays a duplicate (not refused, not charged again); a refused one stays refused.
      const retry = await charge('acme', ACME, ['e1']);
      assert.equal(retry.status, 200);
      assert.equal(retry.json.duplicate, true);
      assert.equal((await charge('acme', ACME, ['e4'])).status, 402);
      const batch = await charge('acme', ACME, ['e2', 'e5']);
      assert.equal(batch.status, 200, batch.text);
      assert.equal(batch.json.results[0].duplicate, true);
      assert.equal(batch.json.results[1].error.code, 'budget_exceeded');

      const budget = await (await fetch(`${srv.url}/v1/budget/acme`, { headers: ADMIN })).json();
      assert.equal(nanos(budget.spent_usd), 3n * each, 'exactly the three stored events are charged');
      assert.equal(budget.cap_usd, flk.call('cost.budget.check', { tenant: 'x', now: 0, policy: { cap_usd: cap } }).cap_usd);
      assert.equal(budget.state, 'degrade');
      assert.equal(budget.window.name, 'monthly');
      const report = await (await fetch(`${srv.url}/v1/cost/report?from=${day(-1)}&to=${day(2)}&group_by=model`,
        { headers: { ...ADMIN, 'X-Tenant-Id': 'acme' } })).json();
      assert.deepEqual(report.rows.map((r) => [r.key, nanos(r.total_usd), r.events]), [[{ model: 'gpt-4o' }, 3n * each, 3]]);

      const audit = (await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text())
        .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'budget.decision');
      assert.deepEqual(audit.map((e) => [e.data.event_id, e.data.action, e.data.refused]),
        [['e3', 'degrade', false], ['e4', 'deny', true], ['e4', 'deny', true], ['e5', 'deny', true]]);
      const m = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(m, /^flk_budget_refused_by_tenant\{tenant="acme"\} 3$/m);
      assert.match(m, /^flk_budget_decisions_by_tenant\{tenant="acme"\} 1$/m);
      assert.match(m, /^flk_usage_events_by_tenant\{tenant="acme"\} 3$/m);

      // Spend lives in the store: a restarted server still refuses and reports the same spend.
      await srv.stop();
      srv = await start();
      assert.equal((await charge('acme', ACME, ['e6'])).status, 402);
      const again = await (await fetch(`${srv.url}/v1/budget/acme`, { headers: ADMIN })).json();
      assert.equal(again.spent_usd, budget.spent_usd);
      // Another tenant's spend is its own.
      assert.equal((await charge('other', OTHER, ['e4'])).status, 200);
    });

    test('reads need the admin token or the tenant\'s own signature, never another tenant\'s', async () => {
      const path = '/v1/budget/acme';
      assert.equal((await signedGet(path, '', ACME)).status, 200);
      assert.equal((await fetch(srv.url + path)).status, 401);
      assert.equal((await fetch(srv.url + path, { headers: { Authorization: 'Bearer nope' } })).status, 401);
      const crossKey = await signedGet(path, '', OTHER);
      assert.equal(crossKey.status, 401);
      assert.equal((await crossKey.json()).error.code, 'bad_signature');
      const stale = await signedGet(path, '', ACME, {}, Date.now() - 10 * 60 * 1000);
      assert.equal(stale.status, 401);
      assert.equal((await signedGet(path, '', ACME, {}, '-9223372036854775808')).status, 401);
      assert.equal((await signedGet(path, '', ACME, {}, '1e12')).status, 401);
      // A signature is for one path and query: reusing it elsewhere fails.
      const ts = Date.now();
      const s = sig(ACME, `GET ${path}?ts=${ts}`);
      const moved = await fetch(`${srv.url}/v1/budget/other?ts=${ts}`, { headers: { 'X-Flk-Signature': s } });
      assert.equal(moved.status, 401);

      const report = '/v1/cost/report';
      const q = `from=${day(-1)}&to=${day(2)}&group_by=model,day`;
      const own = await signedGet(report, q, ACME, { 'X-Tenant-Id': 'acme' });
      assert.equal(own.status, 200);
      const body = await own.json();
      assert.equal(body.tenant, 'acme');
      assert.equal(body.totals.events, 3);
      assert.deepEqual(body.rows[0].key, { model: 'gpt-4o', day: day(0) });
      // other signs with its own key but asks for acme's report, or acme's key for other's: refused.
      assert.equal((await signedGet(report, q, OTHER, { 'X-Tenant-Id': 'acme' })).status, 401);
      assert.equal((await signedGet(report, q, ACME, { 'X-Tenant-Id': 'other' })).status, 401);
      const others = await (await signedGet(report, q, OTHER, { 'X-Tenant-Id': 'other' })).json();
      assert.equal(others.totals.events, 1);
    });

    test('bad query parameters, unknown tenants and missing budgets are typed errors', async () => {
      const get = async (url, headers = ADMIN) => {
        const r = await fetch(srv.url + url, { headers });
        return { status: r.status, json: await r.json() };
      };
      const h = { ...ADMIN, 'X-Tenant-Id': 'acme' };
      for (const [url, status, code] of [
        ['/v1/budget/nobody', 404, 'unknown_tenant'],
        ['/v1/budget/other', 404, 'no_budget'],
        ['/v1/budget/acme?bogus=1', 422, 'unknown_parameter'],
        [`/v1/cost/report?from=${day(0)}`, 422, 'bad_format'],
        [`/v1/cost/report?from=yesterday&to=${day(1)}`, 422, 'bad_format'],
        [`/v1/cost/report?from=${day(1)}&to=${day(0)}`, 422, 'out_of_range'],
        [`/v1/cost/report?from=2020-01-01&to=2022-01-01`, 422, 'out_of_range'],
        [`/v1/cost/report?from=${day(0)}&to=${day(1)}&group_by=model,model`, 422, 'bad_group_by'],
        [`/v1/cost/report?from=${day(0)}&to=${day(1)}&group_by=colour`, 422, 'bad_group_by'],
      ]) {
        const r = await get(url, h);
        assert.equal(r.status, status, `${url}: ${JSON.stringify(r.json)}`);
        assert.equal(r.json.error.code, code, url);
      }
      const unknown = await get(`/v1/cost/report?from=${day(0)}&to=${day(1)}`, { ...ADMIN, 'X-Tenant-Id': 'nobody' });
      assert.equal(unknown.json.error.code, 'unknown_tenant');
    });

    test('billing exports are stored once per content and reconciled against the stored usage', async () => {
      const each = cost();
      const header = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
      // The provider billed acme's three events plus $0.001.
      const csv = `${header}${usdText(3n * each + 1000000n)},${day(0)},OpenAI,USD,Usage\n`;
      const upload = (body, headers) => fetch(`${srv.url}/v1/cost/billing`, { method: 'POST', body,
        headers: { 'Content-Type': 'text/csv', 'X-Tenant-Id': 'acme', ...headers } });
      const first = await upload(csv, ADMIN);
      assert.equal(first.status, 201, await first.clone().text());
      const f = await first.json();
      assert.equal(f.duplicate, false);
      assert.equal(f.summary.imported, 1);
      const again = await upload(csv, { 'X-Flk-Signature': sig(ACME, csv) });
      assert.equal(again.status, 200);
      assert.equal((await again.json()).duplicate, true, 'the same export is stored once');
      const log = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
      assert.equal(flk.call('audit.verify', { jsonl: log }).valid, true, 'the chain holds with the upload entry');
      const audited = log.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'billing.uploaded');
      assert.deepEqual(audited.map((e) => [e.tenant, e.data.upload_id, e.data.imported]), [['acme', f.upload_id, 1]]);
      assert.equal((await upload(csv, { 'X-Flk-Signature': sig(OTHER, csv) })).status, 401, 'another tenant\'s key');
      assert.equal((await upload(csv, {})).status, 401);
      const json = await upload(csv, { ...ADMIN, 'Content-Type': 'application/json' });
      assert.equal(json.status, 415);
      assert.match((await json.json()).error.message, /send the billing export as text\/csv/);
      assert.equal((await upload(csv, { ...ADMIN, 'Content-Type': 'Text/CSV; charset=utf-8' })).status, 200, 'case and parameters aside');
      const bad = await upload('hello,world\n1,2\n', ADMIN);
      assert.equal(bad.status, 422);
      assert.equal(typeof (await bad.json()).error.code, 'string');
      const noRows = await upload(`${header}oops,${day(0)},OpenAI,USD,Usage\n`, ADMIN);
      assert.equal(noRows.status, 422);
      const nr = await noRows.json();
      assert.equal(nr.error.code, 'no_billing_rows');
      assert.equal(nr.summary.issues[0].column, 'BilledCost');
      assert.equal((await fetch(`${srv.url}/v1/cost/billing`, { method: 'POST', body: csv,
        headers: { ...ADMIN, 'X-Tenant-Id': 'acme', 'Content-Type': 'application/json' } })).status, 415);
      assert.equal((await upload(csv, { ...ADMIN, 'X-Tenant-Id': 'nobody' })).status, 404);

      const q = `from=${day(-1)}&to=${day(2)}&service_map=openai%3DOpenAI`;
      const rec = await signedGet('/v1/cost/reconcile', q, ACME, { 'X-Tenant-Id': 'acme' });
      assert.equal(rec.status, 200, await rec.clone().text());
      const r = await rec.json();
      assert.equal(r.billing_uploads, 1);
      assert.equal(r.events_without_input, 0);
      assert.equal(nanos(r.tracked_usd), 3n * each, 'tracked = the stored (not the refused) events');
      assert.equal(nanos(r.billed_usd), 3n * each + 1000000n);
      assert.equal(r.services[0].service, 'OpenAI');
      // other has its own (empty) billing: its usage is all unbilled.
      const o = await (await signedGet('/v1/cost/reconcile', q, OTHER, { 'X-Tenant-Id': 'other' })).json();
      assert.equal(o.billing_uploads, 0);
      assert.equal(nanos(o.tracked_usd), each);
      assert.equal((await signedGet('/v1/cost/reconcile', q, OTHER, { 'X-Tenant-Id': 'acme' })).status, 401);
      for (const [query, code] of [[`${q}&threshold_pct=abc`, 'out_of_range'], [`from=${day(0)}&to=${day(1)}&service_map=x`, 'bad_format'],
        [`from=${day(0)}&to=${day(1)}&cost_column=gross`, 'out_of_range'], [`to=${day(1)}`, 'bad_format']]) {
        const e = await fetch(`${srv.url}/v1/cost/reconcile?${query}`, { headers: { ...ADMIN, 'X-Tenant-Id': 'acme' } });
        assert.equal(e.status, 422, query);
        assert.equal((await e.json()).error.code, code, query);
      }
    });

    test('SIGKILL while charging: after the restart spend matches the stored events and the cap holds', async () => {
      const each = cost();
      const crashDir = tmp('flk-crash-cost-');
      const crashStore = stores.database(kind);
      const file = join(crashDir, 'tenants.json');
      // The budget comes from the tenants file here: exactly 300 events fit.
      writeFileSync(file, JSON.stringify({ tenants: [{ id: 'crash', keys: [{ kid: 'c1', key: ACME }],
        budget: { cap_usd: usdText(300n * each), window: 'monthly' } }] }));
      const crashArgs = ['--tenants-file', file, '--admin-token', 'admin-secret', '--rate-limit', '1000000', '--log-level', 'warn'];
      let s = await startServer({ data: crashDir, store: crashStore, args: crashArgs });
      const send = (url, id) => {
        const body = JSON.stringify({ event_id: id, model: 'gpt-4o', usage: USAGE });
        return post(url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'crash', 'X-Flk-Signature': sig(ACME, body) });
      };
      const ids = Array.from({ length: 500 }, (_, i) => `c${i}`);
      const acked = new Map();
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < ids.length && !killed) {
          const id = ids[next++];
          try {
            const r = await send(s.url, id);
            if (r.status === 200) acked.set(id, r.json.usage);
          } catch {
            // the connection died with the server: not acknowledged
          }
          if (!killed && acked.size >= 100) {
            killed = true;
            s.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      assert.equal((await s.exited).signal, 'SIGKILL');
      s = await startServer({ data: crashDir, store: crashStore, args: crashArgs });
      try {
        const h = { ...ADMIN, 'X-Tenant-Id': 'crash' };
        const report = async () => (await (await fetch(`${s.url}/v1/cost/report?from=${day(-1)}&to=${day(2)}`, { headers: h })).json()).totals;
        const budget = async () => (await (await fetch(`${s.url}/v1/budget/crash`, { headers: ADMIN })).json());
        const stored = await report();
        assert.ok(stored.events >= acked.size, `${stored.events} stored, ${acked.size} acknowledged`);
        assert.equal(nanos((await budget()).spent_usd), BigInt(stored.events) * each, 'spend is exactly the stored events');
        for (const [id, usage] of [...acked].slice(0, 50)) {
          const r = await send(s.url, id);
          assert.equal(r.status, 200);
          assert.equal(r.json.duplicate, true, id);
          assert.deepEqual(r.json.usage, usage);
        }
        // Charging the rest fills the cap exactly and refuses everything after it.
        const codes = { 200: 0, 402: 0 };
        for (const id of ids) codes[(await send(s.url, id)).status] += 1;
        assert.equal(codes[200] + codes[402], ids.length);
        const final = await report();
        assert.equal(final.events, 300);
        const b = await budget();
        assert.equal(nanos(b.spent_usd), 300n * each);
        assert.equal(b.state, 'deny');
      } finally {
        await s.stop();
        cleanup(crashDir);
      }
    });

    test('reads take tokens of the tenant\'s rate limit', async () => {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await signedGet('/v1/cost/report', `from=${day(0)}&to=${day(1)}`, OTHER,
        { 'X-Tenant-Id': 'slow' })).status);
      assert.deepEqual(codes, [200, 200, 429, 429]);
    });
  });
}

test('two instances on one PostgreSQL charging one budget never pass its cap', async () => {
  const each = nanos(flk.call('cost.usage', { model: 'gpt-4o', usage: USAGE }).total_usd);
  const url = stores.database('postgres');
  const dirs = [tmp('flk-cost-a-'), tmp('flk-cost-b-')];
  const file = join(dirs[0], 'tenants.json');
  writeFileSync(file, JSON.stringify({ tenants: [{ id: 'shared', keys: [{ kid: 'k', key: ACME }],
    budget: { cap_usd: usdText(100n * each), window: 'monthly' } }] }));
  const args = ['--tenants-file', file, '--rate-limit', '1000000', '--admin-token', 'admin-secret', '--log-level', 'warn'];
  const servers = [];
  for (const d of dirs) servers.push(await startServer({ data: d, store: url, args }));
  try {
    const send = (srv, id) => {
      const body = JSON.stringify({ event_id: id, model: 'gpt-4o', usage: USAGE });
      return post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'shared',
        'X-Flk-Signature': flk.crypto.hmac_sha256({ key_text: ACME.key_text, message_text: body }).mac_b64 });
    };
    // 300 distinct events, each sent to both instances at once.
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => [send(servers[0], `s${i}`), send(servers[1], `s${i}`)]).flat());
    const stored = new Set(answers.filter((r) => r.status === 200).map((r) => r.json.event_id));
    assert.equal(stored.size, 100, 'exactly the events that fit the cap are stored');
    assert.equal(answers.filter((r) => r.status === 200 && r.json.duplicate === false).length, 100, 'each charged once');
    assert.ok(answers.every((r) => r.status === 200 || r.json.error.code === 'budget_exceeded'));
    const b = await (await fetch(`${servers[1].url}/v1/budget/shared`, { headers: ADMIN })).json();
    assert.equal(nanos(b.spent_usd), 100n * each);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    dirs.forEach(cleanup);
  }
});
