// The operations pack against a real Prometheus (Debian `prometheus`): it scrapes a flk-server
// under signed traffic every 0.5 s with the rule files of ops/alerts loaded, and every query of
// every dashboard panel (ops/dashboards/spec.mjs) must return data through the HTTP API.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dashboards } from '../../ops/dashboards/spec.mjs';
import { root } from './engines.mjs';
import { cleanup, freePort, pcsFactory, post, startServer, tmp } from './server-harness.mjs';

const KEYS = { acme: 'acme secret', beta: 'beta secret', slow: 'slow secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const sign = (tenant, text) => createHmac('sha256', KEYS[tenant]).update(text).digest('base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// scripts/setup.sh installs Debian's prometheus: missing, these tests fail rather than skip.
assert.equal(spawnSync('prometheus', ['--version']).status, 0, 'prometheus is not installed (scripts/setup.sh installs it)');

function send(url, path, tenant, body) {
  const text = JSON.stringify(body);
  return post(url, path, text, { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(tenant, text) });
}

let dir, srv, prom, promUrl, pcs;
let promLog = '';

async function query(q) {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = await res.json();
  assert.equal(body.status, 'success', `${q}: ${JSON.stringify(body)}`);
  return body.data.result;
}

async function waitFor(what, fn, ms = 20000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) if (await fn().catch(() => false)) return;
  throw new Error(`timed out waiting for ${what}; prometheus log:\n${promLog.slice(-2000)}`);
}

// One round of traffic: verdicts (accepted, escalated, duplicate), risk scores, usage events
// (crossing acme's budget), a bad signature, a rate-limited tenant and anomaly observations.
let epoch = 1;
let event = 0;
async function traffic(round) {
  const key = { alg: 'hmac', key_text: KEYS.acme };
  for (let i = 0; i < 4; i++) {
    const doc = pcs.make(epoch++, key, i === 3 ? { budget: 0.5 } : {});
    assert.ok([200, 202].includes((await post(srv.url, '/v1/pcs/submit', doc, { 'X-Tenant-Id': 'acme' })).status));
    if (i === 0) await post(srv.url, '/v1/pcs/submit', doc, { 'X-Tenant-Id': 'acme' });
  }
  for (const [tenant, answer] of [['acme', 'Paris is the capital of France.'], ['beta', 'The moon is made of cheese.']])
    assert.equal((await send(srv.url, '/v1/hrs/score', tenant, { question: 'q?', context: 'Paris is the capital of France.', answer, task: 'rag' })).status, 200);
  const usage = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
  for (const tenant of ['acme', 'beta'])
    await send(srv.url, '/v1/cost/usage', tenant, { event_id: `e${event++}`, model: 'gpt-4o', task: 'support', usage });
  assert.equal((await post(srv.url, '/v1/cost/usage', '{}', { 'X-Tenant-Id': 'beta', 'X-Flk-Signature': 'AAAA' })).status, 401);
  // task is a label: the same characters as an event id, else 422 at its path.
  const badTask = await send(srv.url, '/v1/cost/usage', 'beta', { events: [{ event_id: `x${round}`, model: 'gpt-4o', task: 'two words', usage }] });
  assert.deepEqual([badTask.status, badTask.json.error.path], [422, '$.events[0].task']);
  for (let i = 0; i < 3; i++) await send(srv.url, '/v1/hrs/score', 'slow', { answer: 'a' });
  const points = Array.from({ length: 40 }, (_, i) => ({ ts: 1_700_000_000 + 60 * (40 * round + i), value: 50 + (i % 7) }));
  assert.equal((await send(srv.url, '/v1/anomaly/observe', 'acme', { series: 'latency', points })).status, 200);
}

before(async () => {
  dir = tmp('flk-ops-prom-');
  const tenants = join(dir, 'tenants.json');
  writeFileSync(tenants, JSON.stringify({
    tenants: Object.entries(KEYS).map(([id, key]) => ({ id, keys: [{ kid: 'k1', key: { alg: 'hmac', key_text: key } }],
      ...(id === 'slow' ? { rate_per_sec: 0.01, burst: 1 } : {}) })),
  }));
  srv = await startServer({ data: dir, args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '100000',
    '--log-level', 'warn', '--anomaly-self-ms', '200'] });
  pcs = await pcsFactory();
  // acme's budget: the second event crosses the soft thresholds, the third is refused.
  const cap = '0.01';
  const put = await fetch(`${srv.url}/v1/admin/tenants/acme`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ budget: { cap_usd: cap, window: 'monthly' } }) });
  assert.equal(put.status, 200, await put.text());

  const rules = readdirSync(`${root}ops/alerts`).filter((f) => f.endsWith('.yml')).map((f) => `${root}ops/alerts/${f}`);
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify({
    global: { scrape_interval: '500ms', evaluation_interval: '500ms' },
    rule_files: rules,
    scrape_configs: [{ job_name: 'flk', static_configs: [{ targets: [`127.0.0.1:${srv.port}`] }] }],
  }));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  prom.stderr.on('data', (d) => (promLog += d));
  await waitFor('prometheus to be ready', async () => (await fetch(`${promUrl}/-/ready`)).ok);
  // Traffic starts after the first scrape, so Prometheus sees every counter's increase.
  await waitFor('the first scrape', async () => (await query('up{job="flk"}')).length > 0);
});

after(async () => {
  prom?.kill('SIGTERM');
  if (prom && prom.exitCode === null) await new Promise((r) => prom.on('exit', r));
  await srv?.stop();
  if (dir) cleanup(dir);
});

test('every dashboard panel query returns data from a Prometheus scraping flk-server', { timeout: 90000 }, async () => {
  // Traffic in three rounds a few scrapes apart, so every rate() sees an increase.
  for (let round = 0; round < 3; round++) {
    await traffic(round);
    await sleep(1500);
  }
  await waitFor('ten scrapes', async () => (await query('count_over_time(up{job="flk"}[1m])'))[0]?.value[1] >= 10);
  assert.equal((await query('up{job="flk"}'))[0].value[1], '1');
  const empty = [];
  for (const d of dashboards)
    for (const p of d.panels)
      for (const [expr] of p.targets) if ((await query(expr)).length === 0) empty.push(`${d.uid} / ${p.title}: ${expr}`);
  assert.deepEqual(empty, [], 'panels without data');
});

// Runs after the traffic of the first test: acme sent 3 usage events (the third refused by its
// budget), 3 risk scores and 12 first verdicts (3 escalated); beta 3 bad signatures.
test('the new series count what the traffic did', async () => {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const value = (series) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    assert.ok(line, `${series} is missing`);
    return Number(line.slice(series.length + 1));
  };
  const cost = Number(pcs.flk.call('cost.usage', { model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 } }).total_usd);
  assert.ok(Math.abs(value('flk_spend_usd_total{tenant="acme",model="gpt-4o",task="support"}') - 2 * cost) < 1e-12);
  assert.equal(value('flk_usage_events_total{tenant="acme",model="gpt-4o",result="stored"}'), 2);
  assert.equal(value('flk_usage_events_total{tenant="acme",model="gpt-4o",result="refused"}'), 1);
  assert.equal(value('flk_usage_events_total{tenant="beta",model="gpt-4o",result="refused"}'), 0);
  assert.ok(Math.abs(value('flk_budget_used_ratio{tenant="acme"}') - 2 * cost / 0.01) < 1e-9);
  assert.equal(value('flk_budget_decisions_total{tenant="acme",action="deny"}'), 1);
  assert.equal(value('gen_ai_client_token_usage_sum{tenant="acme",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_token_type="output"}'), 400);
  assert.equal(value('flk_hrs_risk_score_count{tenant="acme",task="rag"}'), 3);
  assert.equal(['low', 'medium', 'high'].reduce((n, b) => n + value(`flk_hrs_scores_total{tenant="acme",band="${b}"}`), 0), 3);
  assert.equal(value('flk_pcs_decisions_total{tenant="acme",action="escalated"}'), 3);
  assert.equal(value('flk_pcs_decisions_total{tenant="acme",action="duplicate"}'), 3);
  assert.equal(value('flk_pcs_decisions_total{tenant="acme",action="accepted"}') + value('flk_pcs_decisions_total{tenant="acme",action="rejected"}'), 9);
  assert.equal(value('flk_pcs_submissions_total{tenant="acme"}'), 15);
  assert.equal(value('flk_signature_errors_total{tenant="beta",what="body"}'), 3);
  assert.ok(value('flk_rate_limited_total{tenant="slow"}') >= 6);
  // The deprecated names carry the same counts.
  assert.equal(value('flk_escalated'), 3);
  assert.equal(value('flk_budget_refused_by_tenant{tenant="acme"}'), 1);
});

test('Prometheus loads every rule file and evaluates every rule without error', { timeout: 30000 }, async () => {
  let groups = [];
  await waitFor('rules evaluated', async () => {
    groups = (await (await fetch(`${promUrl}/api/v1/rules`)).json()).data.groups;
    return groups.length > 0 && groups.every((g) => g.rules.every((r) => r.lastEvaluation && !r.lastEvaluation.startsWith('0001')));
  });
  const files = new Set(groups.map((g) => g.file.split('/').pop()));
  assert.deepEqual([...files].sort(), readdirSync(`${root}ops/alerts`).filter((f) => f.endsWith('.yml')).sort());
  const broken = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`));
  assert.deepEqual(broken, []);
  // Recording rules of the SLOs produce series from the live traffic.
  assert.ok((await query('flk:verify_errors:ratio_rate5m')).length > 0);
  assert.ok((await query('flk:ingest_errors:ratio_rate5m')).length > 0);
  // acme's third usage event was refused by its budget: the page fires (no `for`).
  await waitFor('FlkBudgetExhausted for acme', async () => (await query('ALERTS{alertname="FlkBudgetExhausted",tenant="acme"}')).length > 0)
    .catch(async (e) => {
      throw new Error(`${e.message}\n${JSON.stringify(await query('flk_usage_events_total{result="refused"}[1m]'))}\n${JSON.stringify(await query('ALERTS'))}`);
    });
});
