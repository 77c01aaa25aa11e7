// The daily reconciliation end to end on both stores: a tenant's bill (30 days at 12.5 USD) is
// uploaded, the server restarted with --reconcile-hour set to the current UTC hour, and its first
// check reconciles the stored usage of the 30 days before today (none) against it: a drift over
// the threshold is audited as cost.reconcile.drift and shown by the metrics; a tenant without a
// bill is not reconciled. (The schedule itself, under an injected clock: tests/server/reconcile_schedule_test.cc.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bothStores, cleanup, isoDay as day, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };

const stores = bothStores();

for (const kind of stores.kinds) {
  describe(`scheduled reconciliation on ${kind}`, () => {
    let dir, srv;
    before(async () => {
      dir = tmp('flk-e2e-reconcile-');
      const tenants = join(dir, 'tenants.json');
      writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'a', key: { alg: 'hmac', key_text: 'x' } }] },
        { id: 'nobill', keys: [{ kid: 'n', key: { alg: 'hmac', key_text: 'y' } }] }] }));
      const opts = { data: dir, store: stores.database(kind),
        args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--log-level', 'warn'] };
      const first = await startServer(opts);
      let csv = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
      for (let d = -30; d < 0; d++) csv += `12.5,${day(d)},OpenAI,USD,Usage\n`;
      const up = await fetch(`${first.url}/v1/cost/billing`, { method: 'POST', body: csv,
        headers: { ...ADMIN, 'X-Tenant-Id': 'acme', 'Content-Type': 'text/csv' } });
      assert.equal(up.status, 201, await up.text());
      await first.stop();
      const hour = new Date().getUTCHours();
      srv = await startServer({ ...opts, args: [...opts.args, '--reconcile-hour', String(hour), '--reconcile-threshold-pct', '5'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('the first check at the hour audits the drift and sets the metrics', async () => {
      let drift = [];
      for (let i = 0; i < 100 && drift.length === 0; i++) {
        const log = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
        drift = log.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'cost.reconcile.drift');
        if (drift.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(drift.length, 1, 'one drift entry, for the tenant with a bill');
      const { tenant, data } = drift[0];
      assert.equal(tenant, 'acme');
      assert.equal(data.billed_usd.replace(/0+$/, ''), '375.');
      assert.equal(Number(data.tracked_usd), 0);
      assert.equal(data.delta_pct, 100);
      assert.equal(data.threshold_pct, 5);
      assert.deepEqual(data.period, { from: day(-30), to: day(0) });
      const m = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(m, /^flk_cost_reconcile_drift_pct\{tenant="acme"\} 100$/m);
      assert.match(m, /^flk_cost_reconcile_alerts_total\{tenant="acme"\} 1$/m);
      assert.doesNotMatch(m, /tenant="nobill"\} /);
    });
  });
}
