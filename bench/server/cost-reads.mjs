// Latency of the cost reads over a tenant with N stored usage events, on SQLite and PostgreSQL:
// GET /v1/cost/report (aggregates the stored pricing) and GET /v1/cost/reconcile (re-prices the
// events into a fresh ledger and re-imports the stored billing export). Median of 5 calls each.
//   node bench/server/cost-reads.mjs [EVENTS, default 20000]
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, post, startPostgres, startServer, tmp } from '../../tests/js/server-harness.mjs';

const n = Number(process.argv[2] ?? 20000);
const ADMIN = { Authorization: 'Bearer admin-secret' };
const sign = (body) => createHmac('sha256', 'bench-secret').update(body).digest('base64');
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function timed(url, headers) {
  const ms = [];
  let status;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers });
    status = r.status;
    await r.text();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { status, median_ms: Math.round(ms[2]) };
}

const pg = startPostgres();
try {
  for (const kind of ['sqlite', 'postgres']) {
    const dir = tmp('flk-bench-cost-');
    const tenants = join(dir, 'tenants.json');
    writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'b', keys: [{ kid: 'k', key: { alg: 'hmac', key_text: 'bench-secret' } }] }] }));
    const srv = await startServer({ data: dir, store: kind === 'postgres' ? pg.database() : '',
      args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '1000000', '--log-level', 'warn'] });
    try {
      const models = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet-20241022'];
      let t = performance.now();
      for (let i = 0; i < n; i += 1000) {
        const events = [];
        for (let k = i; k < Math.min(n, i + 1000); k++)
          events.push({ event_id: `e${k}`, model: models[k % 3], usage: { prompt_tokens: 1000 + (k % 500), completion_tokens: 200 } });
        const body = JSON.stringify({ events });
        const r = await post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'b', 'X-Flk-Signature': sign(body) });
        if (r.status !== 200) throw new Error(r.text);
      }
      const ingest = Math.round(performance.now() - t);
      let csv = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
      for (let d = -30; d <= 0; d++) csv += `12.5,${day(d)},OpenAI,USD,Usage\n`;
      const up = await fetch(`${srv.url}/v1/cost/billing`, { method: 'POST', body: csv,
        headers: { ...ADMIN, 'X-Tenant-Id': 'b', 'Content-Type': 'text/csv' } });
      if (up.status !== 201) throw new Error(await up.text());
      const q = `from=${day(-1)}&to=${day(2)}`;
      const h = { ...ADMIN, 'X-Tenant-Id': 'b' };
      const report = await timed(`${srv.url}/v1/cost/report?${q}&group_by=model,day`, h);
      const reconcile = await timed(`${srv.url}/v1/cost/reconcile?${q}&service_map=openai%3DOpenAI`, h);
      const budget = await fetch(`${srv.url}/v1/admin/tenants/b`, { method: 'PUT', body: JSON.stringify({ budget: { cap_usd: '1000000' } }),
        headers: { ...ADMIN, 'Content-Type': 'application/json' } });
      if (budget.status !== 200) throw new Error(await budget.text());
      const state = await timed(`${srv.url}/v1/budget/b`, ADMIN);
      console.log(JSON.stringify({ store: kind, events: n, ingest_ms_batches_of_1000: ingest, report, reconcile, budget: state }));
    } finally {
      await srv.stop();
      cleanup(dir);
    }
  }
} finally {
  pg.stop();
}
