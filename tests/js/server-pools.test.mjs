// Worker pools end to end (issue 12): with one HTTP I/O thread and a compute pool of one thread
// that may queue nothing, a long billing import runs on the pool while the I/O thread answers
// /healthz, and another compute request is refused at once with 503 overloaded and Retry-After,
// counted in flk_worker_rejected_total{pool="compute"}; the slot is free as soon as the answer is
// read, so an immediate retry is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function series(text, name, pool) {
  const m = text.match(new RegExp(`^${name}\\{pool="${pool}"\\} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}
const metrics = async (url) => (await fetch(`${url}/metrics`)).text();

test('a long compute leaves the I/O thread answering, and a full pool answers 503 with Retry-After', async () => {
  const data = tmp('flk-pools-');
  const srv = await startServer({
    data,
    args: ['--threads', '1', '--compute-threads', '1', '--compute-queue', '0', '--max-body', String(24 << 20),
      '--admin-token', 'admin-secret', '--tenants', 'acme:hmac:acme secret', '--log-level', 'warn',
      '--anomaly-self-ms', '0'],
  });
  try {
    // A FOCUS export of 400,000 rows (~18 MB): its import takes far longer than a few round trips.
    const header = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
    const csv = header + '0.001,2026-12-01T00:00:00Z,OpenAI,USD,Usage\n'.repeat(400000);
    let imported = false;
    const importing = fetch(`${srv.url}/v1/cost/billing`, {
      method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv', 'X-Tenant-Id': 'acme', ...ADMIN },
    }).then(async (r) => {
      imported = true;
      return { status: r.status, body: await r.text() };
    });
    // /metrics runs on the probe pool: it sees the import take the compute thread.
    let busy = 0;
    for (let i = 0; i < 600 && !busy && !imported; i++) {
      busy = series(await metrics(srv.url), 'flk_worker_busy', 'compute');
      if (!busy) await sleep(10);
    }
    assert.equal(busy, 1, 'the import never showed on the compute pool');

    const health = await fetch(`${srv.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(imported, false, '/healthz was answered only after the import');

    const refused = await fetch(`${srv.url}/v1/hrs/score`, {
      method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(imported, false, 'the import finished before the second compute request arrived');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal((await refused.json()).error.code, 'overloaded');
    assert.equal(series(await metrics(srv.url), 'flk_worker_rejected_total', 'compute'), 1);

    const done = await importing;
    assert.equal(done.status, 201, done.body);
    assert.equal(JSON.parse(done.body).summary.imported, 400000);
    // The same compute request, sent the moment the import's answer is read, is served (422: {}
    // is not an hrs.score input).
    const served = await fetch(`${srv.url}/v1/hrs/score`, {
      method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(served.status, 422);
    assert.equal(series(await metrics(srv.url), 'flk_worker_rejected_total', 'compute'), 1);
  } finally {
    await srv.stop();
    cleanup(data);
  }
});
