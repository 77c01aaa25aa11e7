// flk-server's real answers against docs/openapi.yaml: every documented route is called with a
// valid request, and the body is checked against the document's schema for the status it got
// (the route's response, or Error); bad requests must answer the Error schema. A route the
// document names and no call here reaches fails the test, as does any key, type or status the
// document does not have.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { root } from './engines.mjs';
import { cleanup, isoDay as day, pcsFactory, startServer, tmp } from './server-harness.mjs';
import { validator } from './support/json-schema.mjs';

const doc = parse(readFileSync(`${root}docs/openapi.yaml`, 'utf8'));
const validate = validator(doc);
const KEY = { alg: 'hmac', key_text: 'acme secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const policy = (name) => JSON.parse(readFileSync(`${root}tests/data/policy/${name}`, 'utf8'));
const sign = (text) => createHmac('sha256', KEY.key_text).update(text).digest('base64');

let dir, srv, pcs;
before(async () => {
  dir = tmp('flk-openapi-');
  const tenants = join(dir, 'tenants.json');
  writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'a1', key: KEY }] }] }));
  srv = await startServer({ data: dir, args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '100000', '--log-level', 'warn'] });
  pcs = await pcsFactory();
});
after(async () => {
  await srv?.stop();
  cleanup(dir);
});

// The documented operation a request reaches: its path template matched segment by segment.
function operation(method, path) {
  const parts = path.split('?')[0].split('/');
  for (const [template, item] of Object.entries(doc.paths)) {
    const t = template.split('/');
    if (item[method.toLowerCase()] && t.length === parts.length && t.every((s, i) => s.startsWith('{') || s === parts[i]))
      return { route: `${method} ${template}`, op: item[method.toLowerCase()] };
  }
  return {};
}
const resolve = (x) => (x.$ref ? x.$ref.slice(2).split('/').reduce((o, k) => o[k], doc) : x);

const reached = new Set();
// Sends a request as the document says it is sent (a JSON body, signed by acme when `as` is
// 'acme', the admin token when 'admin') and checks the answer against the document.
async function call(method, path, { body, as, media = 'application/json', expect, url = srv.url } = {}) {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { ...(as ? { 'X-Tenant-Id': 'acme' } : {}), ...(text !== undefined ? { 'Content-Type': media } : {}) };
  if (as === 'admin') Object.assign(headers, ADMIN);
  if (as === 'acme') headers['X-Flk-Signature'] = sign(text ?? `GET ${path}`);
  const res = await fetch(url + path, { method, headers, body: text });
  const got = await res.text();
  const { route, op } = operation(method, path);
  assert.ok(op, `${method} ${path} is not in the document`);
  reached.add(route);
  const response = op.responses[String(res.status)];
  assert.ok(response, `${route}: status ${res.status} is not documented (${got})`);
  const [documented, content] = Object.entries(resolve(response).content ?? {})[0] ?? [];
  if (documented) assert.equal(res.headers.get('content-type').split(';')[0], documented, route);
  const value = documented === 'application/json' ? JSON.parse(got) : got;
  if (content) assert.deepEqual(validate(content.schema, value), [], `${route} ${res.status}: ${got.slice(0, 2000)}`);
  if (expect) assert.equal(res.status, expect, `${route}: ${got.slice(0, 500)}`);
  return value;
}
// A GET as the tenant: X-Flk-Signature over "GET <path>?<query>" with a fresh ts.
const signedGet = (path, query = '') => {
  const full = `${path}?${query}${query ? '&' : ''}ts=${Date.now()}`;
  return call('GET', full, { as: 'acme', expect: 200 });
};

test('every documented route answers as the document says', async () => {
  const T = '/v1/admin/tenants/acme';
  await call('GET', '/healthz', { expect: 200 });
  await call('GET', '/readyz', { expect: 200 });
  await call('GET', '/metrics', { expect: 200 });
  await call('GET', '/v1/admin/tenants', { as: 'admin', expect: 200 });
  await call('PUT', T, { as: 'admin', body: { rate_per_sec: 1000, burst: 1000, budget: { cap_usd: '100' } }, expect: 200 });
  await call('POST', `${T}/keys`, { as: 'admin', body: { kid: 'a2', key: { alg: 'hmac', key_text: 'second' } }, expect: 201 });
  await call('POST', `${T}/keys/a2/retire`, { as: 'admin', body: { overlap_seconds: 0 }, expect: 200 });

  const submitted = await call('POST', '/v1/pcs/submit', { as: 'acme', body: pcs.make(1, KEY) });
  assert.equal(submitted.duplicate, false);
  await call('POST', '/v1/cost/usage', { as: 'acme', body: { event_id: 'e1', model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 200 } }, expect: 200 });
  await call('POST', '/v1/cost/usage', { as: 'acme', body: { events: [{ event_id: 'e2', model: 'gpt-4o', usage: { prompt_tokens: 10, completion_tokens: 2 } }] }, expect: 200 });
  // Six more events, moved back a day each in the store: a history the forecast can take.
  const days = Array.from({ length: 6 }, (_, i) => ({ event_id: `d${i + 1}`, model: 'gpt-4o', usage: { prompt_tokens: 100 * (i + 1), completion_tokens: 20 } }));
  await call('POST', '/v1/cost/usage', { as: 'acme', body: { events: days }, expect: 200 });
  const backdated = spawnSync('sqlite3', [join(dir, 'flk.sqlite'),
    "UPDATE usage_events SET created_ms = created_ms - 86400000 * CAST(substr(event_id, 2) AS INTEGER) WHERE event_id GLOB 'd[0-9]'"], { encoding: 'utf8' });
  assert.equal(backdated.status, 0, backdated.stderr);
  await signedGet('/v1/budget/acme');
  await signedGet('/v1/cost/report', `from=${day(-1)}&to=${day(1)}&group_by=model`);
  let csv = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
  for (let d = -5; d < 0; d++) csv += `12.5,${day(d)},OpenAI,USD,Usage\n`;
  await call('POST', '/v1/cost/billing', { as: 'admin', body: csv, media: 'text/csv', expect: 201 });
  await signedGet('/v1/cost/reconcile', `from=${day(-5)}&to=${day(1)}`);
  await signedGet('/v1/cost/forecast', `from=${day(-8)}&to=${day(1)}`);
  await signedGet('/v1/cost/advice', `from=${day(-8)}&to=${day(1)}&cap_usd=5`);
  // One day of history is refused (insufficient_history), as documented.
  await call('GET', `/v1/cost/forecast?from=${day(0)}&to=${day(1)}`, { as: 'admin', expect: 422 });

  await call('POST', '/v1/hrs/score', { body: { question: 'Who wrote Hamlet?', answer: 'Shakespeare wrote Hamlet.' }, expect: 200 });
  const verified = await call('POST', '/v1/verify', { as: 'acme', body: { question: 'When was the tower finished?', context: 'The tower was finished in 1889.', answer: 'The tower was finished in 1889.', task: 'rag' } });
  await call('GET', '/v1/verify/key', { expect: 200 });
  await signedGet(`/v1/verify/${verified.verification_id}`);
  await call('POST', '/v1/labels', { as: 'acme', body: { verification_id: verified.verification_id, label: 'faithful' }, expect: 200 });

  await call('PUT', `${T}/anomaly/model`, { as: 'admin', body: { mode: 'shadow' }, expect: 200 });
  await call('GET', `${T}/anomaly/model`, { as: 'admin', expect: 200 });
  const points = Array.from({ length: 40 }, (_, i) => ({ ts: 1000 + i, value: i === 35 ? 1000 : 10 + (i % 3) }));
  await call('POST', '/v1/anomaly/observe', { as: 'acme', body: { series: 'latency', points }, expect: 200 });
  await call('POST', '/v1/anomaly/feedback', { as: 'acme', body: { items: [{ id: 'f1', score: 0.4, label: 'normal' }] }, expect: 200 });
  const flagged = await signedGet('/v1/anomaly/events', 'since=0&limit=10');
  assert.ok(flagged.events.length > 0, 'the spike is flagged, so that an event is checked');

  await call('GET', `${T}/policies`, { as: 'admin', expect: 200 });
  const routing = policy('routing.json');
  await call('PUT', `${T}/policies`, { as: 'admin', body: { policy: routing, actor: 'alice', reason: 'first' }, expect: 201 });
  await call('PUT', `${T}/policies`, { as: 'admin', body: { policy: { ...routing, metadata: { ...routing.metadata, version: 4 } }, actor: 'alice', reason: 'second' }, expect: 201 });
  await call('GET', `${T}/policies/history`, { as: 'admin', expect: 200 });
  await call('GET', `${T}/policies/versions/1`, { as: 'admin', expect: 200 });
  await call('POST', `${T}/policies/RiskRoutingPolicy/revert`, { as: 'admin', body: { actor: 'bob', reason: 'back' }, expect: 201 });
  await call('POST', `${T}/policies/simulate`, { as: 'admin', body: { policy: policy('routing-strict.json') }, expect: 200 });
  await call('GET', `${T}/adaptive`, { as: 'admin', expect: 200 });
  await call('GET', `${T}/labels/eval`, { as: 'admin', expect: 200 });

  const candidate = { ...routing, metadata: { ...routing.metadata, version: 90 } };
  const canary = policy('canary.json');
  canary.spec = { target: candidate.metadata.name, steps: [50, 100], min_samples: 10, max_samples: 20, max_failed_gates: 2,
    metrics: [{ name: 'escalation_rate', direction: 'lower_is_better', tolerance: 0.1 }] };
  await call('POST', `${T}/canary`, { as: 'admin', body: { candidate, canary, actor: 'alice', reason: 'try', evaluate_every: 10 }, expect: 201 });
  await call('GET', `${T}/canary`, { as: 'admin', expect: 200 });
  await call('POST', `${T}/canary/abort`, { as: 'admin', body: { actor: 'alice', reason: 'enough' }, expect: 200 });

  const jsonl = await call('GET', '/v1/admin/audit', { as: 'admin', expect: 200 });
  await call('GET', '/v1/admin/audit/head', { as: 'admin', expect: 200 });
  const report = await call('POST', '/v1/audit/verify', { body: { jsonl }, expect: 200 });
  assert.equal(report.valid, true);

  const documented = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`));
  assert.deepEqual(documented.filter((r) => !reached.has(r)), [], 'documented routes no call reached');
});

test('bad requests answer the documented Error schema', async () => {
  await call('POST', '/v1/hrs/score', { body: '{"answer": ', expect: 400 });
  await call('POST', '/v1/hrs/score', { body: { answer: 7 }, expect: 422 });
  await call('POST', '/v1/hrs/score', { body: 'answer', media: 'text/plain', expect: 415 });
  await call('GET', '/v1/admin/tenants', { expect: 401 });
  await call('POST', '/v1/verify', { as: 'acme', body: { answer: 'x', extra: 1 }, expect: 422 });
  await call('GET', '/v1/admin/tenants/nobody/policies', { as: 'admin', expect: 404 });
});

test('every route the admin token opens answers 403 (admin_disabled) as documented when the server has none', async () => {
  const data = tmp('flk-openapi-noadmin-');
  const bare = await startServer({ data, args: ['--log-level', 'warn'] });
  try {
    const params = { tenant: 'acme', version: '1', kind: 'RiskRoutingPolicy', kid: 'a1', id: 'x' };
    for (const [template, item] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(item)) {
        if (!op.security?.some((s) => 'admin' in s)) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, p) => params[p]);
        const media = Object.keys(op.requestBody?.content ?? { 'application/json': 0 })[0];
        const body = m === 'get' ? undefined : media === 'application/json' ? {} : '';
        await call(m.toUpperCase(), path, { as: 'admin', body, media, url: bare.url, expect: 403 });
      }
  } finally {
    await bare.stop();
    cleanup(data);
  }
});
