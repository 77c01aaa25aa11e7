// Pre-emptive budgets end to end: a tenant whose stored daily spend (the 30 days before today,
// 10 USD a day) projects the window past a cap it has not reached degrades before the cap, with
// the projection in the audit entry; a budget without "preemptive" decides on spend alone. On
// SQLite (one server) and on PostgreSQL with two servers sharing the database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bothStores, cleanup, pcsFactory, post, startServer, tmp, usdNanos as nanos } from './server-harness.mjs';

const KEY = { alg: 'hmac', key_text: 'acme-secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const DAY = 86400000;
const today = Math.floor(Date.now() / DAY);

// The window with the most time left (monthly, or weekly on a month's last day), its spend so far
// of the seeded history, and a cap 1 USD above that: the forecast of the days left crosses it.
const d = new Date(today * DAY);
const lastOfMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).getTime() / DAY - 1 === today;
const window = lastOfMonth ? 'weekly' : 'monthly';
const windowStart = lastOfMonth ? today - ((d.getUTCDay() + 6) % 7) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY;
const seededInWindow = 10 * Math.min(30, today - windowStart);
const cap = `${seededInWindow + 1}`;
const seed = Array.from({ length: 30 }, (_, i) => `('acme', ${today - 30 + i}, 10000000000, 1)`).join(', ');
const SEED = `INSERT INTO usage_spend (tenant, day, spent_nanos, events) VALUES ${seed}`;

const stores = bothStores();
let flk;
before(async () => {
  flk = (await pcsFactory()).flk;
});

for (const kind of stores.kinds) {
  describe(`pre-emptive budgets on ${kind}`, () => {
    let dir, servers = [];
    const database = () => stores.database(kind);
    let url;
    const opts = () => {
      const tenants = join(dir, 'tenants.json');
      writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'a1', key: KEY }] }] }));
      return { data: dir, store: url, args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--log-level', 'warn'] };
    };
    before(async () => {
      dir = tmp('flk-e2e-preemptive-');
      url = database();
      await (await startServer(opts())).stop();  // the schema
      const r = kind === 'postgres' ? spawnSync('psql', [url, '-qv', 'ON_ERROR_STOP=1', '-c', SEED], { encoding: 'utf8' })
        : spawnSync('sqlite3', [join(dir, 'flk.sqlite'), SEED], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      servers.push(await startServer(opts()));
      // A second instance on the same PostgreSQL (its own data directory).
      if (kind === 'postgres') {
        const other = tmp('flk-e2e-preemptive-b-');
        servers.push(await startServer({ ...opts(), data: other }));
        servers[1].dir = other;
      }
    });
    after(async () => {
      for (const s of servers) {
        await s.stop();
        if (s.dir) cleanup(s.dir);
      }
      cleanup(dir);
    });
    const charge = (srv, id) => {
      const body = JSON.stringify({ event_id: id, model: 'gpt-4o-mini', usage: { prompt_tokens: 100, completion_tokens: 10 } });
      const sig = flk.crypto.hmac_sha256({ key_text: KEY.key_text, message_text: body }).mac_b64;
      return post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'acme', 'X-Flk-Signature': sig });
    };
    const setBudget = async (budget) => {
      const r = await fetch(`${servers[0].url}/v1/admin/tenants/acme`, { method: 'PUT',
        headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ budget }) });
      assert.equal(r.status, 200, await r.text());
    };
    const decisions = async () => (await (await fetch(`${servers[0].url}/v1/admin/audit`, { headers: ADMIN })).text())
      .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'budget.decision');
    const actions = [{ at: '1', action: 'deny' }];

    test('without preemptive the spend alone decides: under the cap, no decision', async () => {
      await setBudget({ cap_usd: cap, window, actions });
      for (const [i, s] of servers.entries()) assert.equal((await charge(s, `plain-${i}`)).status, 200);
      assert.deepEqual(await decisions(), []);
    });

    test('a pre-emptive budget degrades before the cap when the projection crosses it, audited with it', async () => {
      await setBudget({ cap_usd: cap, window, actions, preemptive: true });
      for (const [i, s] of servers.entries()) {
        const r = await charge(s, `pre-${i}`);
        assert.equal(r.status, 200, r.text);
        assert.equal((await charge(s, `pre-${i}-again`)).status, 200);
      }
      const audit = await decisions();
      assert.equal(audit.length, servers.length, 'one forecast decision per projection and instance');
      for (const [i, e] of audit.entries()) {
        assert.equal(e.data.event_id, `pre-${i}`);
        assert.equal(e.data.action, 'degrade');
        assert.equal(e.data.reason, 'forecast_exceeds_hard_cap');
        assert.equal(e.data.refused, false);
        assert.match(e.data.projection.method, /forecast of daily spend/);
        assert.ok(nanos(e.data.projection.window_total_usd) >= nanos(`${cap}.0`), JSON.stringify(e.data.projection));
        assert.ok(nanos(e.data.spent_usd) < nanos(`${cap}.0`), 'decided before the cap');
      }
      const budget = await (await fetch(`${servers[0].url}/v1/budget/acme`, { headers: ADMIN })).json();
      assert.equal(budget.policy.preemptive, true);
    });
  });
}
