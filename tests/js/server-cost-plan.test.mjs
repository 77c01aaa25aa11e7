// GET /v1/cost/forecast and GET /v1/cost/advice end to end on both stores: the tenant's stored
// usage rebuilt into a ledger, read by the admin or the tenant's own signature (never another
// tenant's), typed errors for bad parameters, and a history too short for a forecast said as such
// (every event here arrives today, so the route cannot invent a band).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bothStores, cleanup, isoDay as day, post, startServer, tmp } from './server-harness.mjs';

const ACME = { alg: 'hmac', key_text: 'acme-secret' };
const OTHER = { alg: 'hmac', key_text: 'other-secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const USAGE = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
const shared = process.env.FLK_SHARED_DIR ?? new URL('../../../shared', import.meta.url).pathname;
const azure = `${shared}/data/billing/azure/azure_ea_cost_anonymized_2023-09.csv`;

const stores = bothStores();

for (const kind of stores.kinds) {
  describe(`cost forecast and advice routes on ${kind}`, () => {
    let dir, srv;
    before(async () => {
      dir = tmp('flk-e2e-plan-');
      const tenants = join(dir, 'tenants.json');
      writeFileSync(tenants, JSON.stringify({ tenants: [
        { id: 'acme', keys: [{ kid: 'a1', key: ACME }] }, { id: 'other', keys: [{ kid: 'o1', key: OTHER }] }] }));
      srv = await startServer({ data: dir, store: stores.database(kind),
        args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '100000', '--log-level', 'warn'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });
    const sig = (key, text) => createHmac('sha256', key.key_text).update(text).digest('base64');
    const signedGet = (path, query, key, tenant) => {
      const q = `${query}&ts=${Date.now()}`;
      return fetch(`${srv.url}${path}?${q}`, { headers: { 'X-Flk-Signature': sig(key, `GET ${path}?${q}`), 'X-Tenant-Id': tenant } });
    };
    const asAdmin = (path, query) => fetch(`${srv.url}${path}?${query}`, { headers: { ...ADMIN, 'X-Tenant-Id': 'acme' } });

    test('forecast and advice over the stored usage, with their authorisation and typed errors', async () => {
      const body = JSON.stringify({ events: Array.from({ length: 20 }, (_, i) => ({ event_id: `p${i}`, model: 'gpt-4o', usage: USAGE })) });
      const charged = await post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'acme', 'X-Flk-Signature': sig(ACME, body) });
      assert.equal(charged.status, 200, charged.text);
      const range = `from=${day(-3)}&to=${day(2)}`;

      const f = await asAdmin('/v1/cost/forecast', `${range}&horizon=7`);
      assert.equal(f.status, 422);
      const fe = (await f.json()).error;
      assert.equal(fe.code, 'insufficient_history');
      assert.match(fe.message, /at least 4 days of history, got 1/);

      const a = await signedGet('/v1/cost/advice', `${range}&cap_usd=5&horizon=30`, ACME, 'acme');
      assert.equal(a.status, 200);
      const advice = await a.json();
      assert.equal(advice.tenant, 'acme');
      assert.equal(advice.events_without_input, 0);
      assert.equal(advice.lookback_days, 1);
      assert.deepEqual(advice.budget, { history_days: 1, horizon_days: 30, insufficient_history: true,
        message: 'a forecast needs at least 4 days of history, got 1: fewer give no basis for an interval' });
      assert.ok(advice.recommendations.every((r) => r.type !== 'model_switch'));

      // Another tenant's key never reads acme; no credentials at all is refused too.
      assert.equal((await signedGet('/v1/cost/advice', range, OTHER, 'acme')).status, 401);
      assert.equal((await fetch(`${srv.url}/v1/cost/forecast?${range}`, { headers: { 'X-Tenant-Id': 'acme' } })).status, 401);
      // The other tenant's own advice sees none of acme's usage.
      const o = await (await signedGet('/v1/cost/advice', range, OTHER, 'other')).json();
      assert.equal(o.tenant, 'other');
      assert.equal(o.budget.history_days, 0);

      for (const [query, path] of [[`${range}&horizon=0`, 'horizon'], [`${range}&horizon=x`, 'horizon'],
        [`${range}&backtest=maybe`, 'backtest'], [`from=${day(0)}`, 'to']]) {
        const e = await asAdmin('/v1/cost/forecast', query);
        assert.equal(e.status, 422, query);
        assert.equal((await e.json()).error.path, path, query);
      }
      const unknown = await asAdmin('/v1/cost/advice', `${range}&colour=blue`);
      assert.equal(unknown.status, 422);
      assert.equal((await unknown.json()).error.code, 'unknown_parameter');
      const bad = await asAdmin('/v1/cost/advice', `${range}&cap_usd=-1`);
      assert.equal(bad.status, 422);
      assert.equal((await bad.json()).error.path, '$.budget_cap_usd');
    });

    test('an Azure EA export uploads through the format detection of POST /v1/cost/billing', { skip: !existsSync(azure) && 'no shared data' }, async () => {
      const csv = readFileSync(azure);
      const r = await fetch(`${srv.url}/v1/cost/billing`, { method: 'POST', body: csv,
        headers: { 'Content-Type': 'text/csv', 'X-Tenant-Id': 'acme', 'X-Flk-Signature': createHmac('sha256', ACME.key_text).update(csv).digest('base64') } });
      assert.equal(r.status, 201, await r.clone().text());
      const s = (await r.json()).summary;
      assert.deepEqual([s.format, s.rows, s.imported, s.issue_count], ['azure', 27, 27, 0]);
      assert.deepEqual(s.totals.map((t) => [t.provider, t.currency, t.billed]), [['Azure', 'CAD', '1.261369264']]);
    });
  });
}
