// flk-server with its PostgreSQL gone: every route that reads or writes the store (admin, anomaly,
// billing, budget and cost reads) answers 503 store_unavailable with Retry-After, never 500.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, startPostgres, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

describe('flk-server with its store unreachable', () => {
  let pg;
  let srv;
  let dir;
  before(async () => {
    pg = startPostgres();
    dir = tmp('flk-storedown-');
    const tenants = join(dir, 'tenants.json');
    writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'a1', key: { alg: 'hmac', key_text: 's' } }] }] }));
    srv = await startServer({
      data: dir,
      store: pg.database(),
      args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '100000', '--log-level', 'error'],
    });
  });
  after(async () => {
    await srv?.stop();
    pg?.stop();
    cleanup(dir);
  });

  const csv = `BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n1.5,${day(0)},OpenAI,USD,Usage\n`;
  const calls = [
    ['GET', '/v1/admin/tenants'],
    ['GET', '/v1/admin/audit'],
    ['GET', '/v1/admin/audit/head'],
    ['PUT', '/v1/admin/tenants/acme', { 'Content-Type': 'application/json' }, '{"rate_per_sec":5}'],
    ['GET', '/v1/anomaly/events?tenant=acme'],
    ['GET', '/v1/admin/tenants/acme/adaptive'],
    ['GET', '/v1/admin/tenants/acme/labels/eval'],
    ['GET', '/v1/budget/acme'],
    ['GET', `/v1/cost/report?from=${day(0)}&to=${day(1)}`, { 'X-Tenant-Id': 'acme' }],
    ['GET', `/v1/cost/reconcile?from=${day(0)}&to=${day(1)}`, { 'X-Tenant-Id': 'acme' }],
    ['POST', '/v1/cost/billing', { 'Content-Type': 'text/csv', 'X-Tenant-Id': 'acme' }, csv],
  ];
  const call = ([method, path, headers = {}, body]) =>
    fetch(srv.url + path, { method, headers: { ...ADMIN, ...headers }, body });

  test('store reads and writes answer 503 with Retry-After while the database is down', async () => {
    for (const c of calls) {
      const r = await call(c);
      assert.ok(r.status < 500, `${c[0]} ${c[1]} before the outage: ${r.status} ${await r.text()}`);
    }
    pg.stop();
    for (const c of calls) {
      const r = await call(c);
      const text = await r.text();
      assert.equal(r.status, 503, `${c[0]} ${c[1]}: ${text}`);
      assert.equal(JSON.parse(text).error.code, 'store_unavailable', `${c[0]} ${c[1]}`);
      assert.equal(r.headers.get('retry-after'), '1', `${c[0]} ${c[1]}`);
    }
    const ready = await fetch(`${srv.url}/readyz`);
    assert.equal(ready.status, 503);
  });
});
