// Anomaly detection in flk-server end to end, over HTTP, on SQLite and on PostgreSQL: points
// scored online by the default and by an installed model (a spike is flagged, a smooth series
// is not), events stored, audited and kept across a restart, feedback that is idempotent and
// re-optimises the threshold, tenants kept apart, bad input answered with typed errors, the
// server watching its own request rate, limits per tenant, and two instances on one PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bothStores, cleanup, flkBin, post, startServer, tmp } from './server-harness.mjs';
import { normals } from './support/normals.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };
const KEYS = { acme: 'acme secret', beta: 'beta secret' };
const sign = (tenant, text) => createHmac('sha256', KEYS[tenant]).update(text).digest('base64');

function tenantsFile(dir) {
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify({
    tenants: Object.entries(KEYS).map(([id, key]) => ({ id, keys: [{ kid: 'k1', key: { alg: 'hmac', key_text: key } }] })),
  }));
  return path;
}

const args = (dir, more = []) => ['--tenants-file', tenantsFile(dir), '--admin-token', 'admin-secret', '--rate-limit', '100000',
  '--log-level', 'warn', '--anomaly-self-ms', '0', '--anomaly-reoptimise-every', '100', ...more];

// Signed POST as a tenant.
function send(url, path, tenant, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return post(url, path, text, { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(tenant, text), ...headers });
}
const observe = (url, tenant, body) => send(url, '/v1/anomaly/observe', tenant, body);

// Events as the tenant itself (signature over the request line, the query holding a fresh ts) or
// as the admin.
async function events(url, tenant, query = '', { admin = false } = {}) {
  const q = admin ? query : [query, `ts=${Date.now()}`].filter(Boolean).join('&');
  const target = `/v1/anomaly/events${q ? `?${q}` : ''}`;
  const headers = admin ? { ...ADMIN, 'X-Tenant-Id': tenant } : { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(tenant, `GET ${target}`) };
  const res = await fetch(url + target, { headers });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}

// A slow wave with unit noise, one point a minute.
function wave(n, { t0 = 1_700_000_000, seed = 1 } = {}) {
  const z = normals(seed);
  return Array.from({ length: n }, (_, i) => ({ ts: t0 + 60 * i, value: 50 + 5 * Math.sin((2 * Math.PI * i) / 240) + z() }));
}
// The default model is calibrated at the 0.99 quantile of real data: on normal data about 1 % of
// points score above the threshold, never most of them.
const MAX_FALSE_FLAGS = 0.03;

const stores = bothStores();

for (const kind of stores.kinds) {
  describe(`anomaly detection in flk-server on ${kind}`, () => {
    let dir, srv, db;
    const start = () => startServer({ data: dir, store: db, args: args(dir) });
    before(async () => {
      dir = tmp('flk-anomaly-');
      db = stores.database(kind);
      srv = await start();
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('an injected spike is flagged, a smooth and a flat series are not', async () => {
      const smooth = await observe(srv.url, 'acme', { series: 'smooth', points: wave(1000) });
      assert.equal(smooth.status, 200, smooth.text);
      assert.equal(smooth.json.model, 'default');
      assert.equal(smooth.json.mode, 'shadow');
      assert.equal(smooth.json.decisions.length, 1000);
      assert.ok(smooth.json.anomalies <= MAX_FALSE_FLAGS * 1000, `${smooth.json.anomalies} of 1000 normal points flagged`);
      const flat = await observe(srv.url, 'acme', { series: 'flat', points: wave(100).map((p) => ({ ...p, value: 7 })) });
      assert.equal(flat.json.anomalies, 0, 'a constant series is never flagged');

      const points = wave(400, { seed: 2 });
      points[300].value += 20;
      const spiked = await observe(srv.url, 'acme', { series: 'spiked', points });
      assert.equal(spiked.status, 200, spiked.text);
      const flagged = spiked.json.decisions.filter((d) => d.is_anomaly);
      const outside = flagged.filter((d) => d.ts < points[300].ts || d.ts >= points[306].ts);
      assert.ok(outside.length <= MAX_FALSE_FLAGS * 400, JSON.stringify(outside));
      const d = spiked.json.decisions[300];
      assert.equal(d.is_anomaly, true);
      assert.ok(d.score >= d.threshold && d.threshold === 0.5, JSON.stringify(d));
      assert.equal(d.action, 'accept', 'shadow mode never acts');
      assert.equal(d.rule, 'guardrail');
      assert.match(d.reason, /^shadow mode/);
      assert.equal(d.event_id, `spiked@${points[300].ts}.0`);

      // Streamed in chunks, the series continues where it stopped.
      const more = await observe(srv.url, 'acme', { series: 'smooth', points: wave(1020).slice(1000) });
      assert.equal(more.status, 200, more.text);

      const all = [smooth, spiked, more].flatMap((r) => r.json.decisions.filter((x) => x.is_anomaly).map((x) => x.event_id));
      const ev = await events(srv.url, 'acme', 'limit=1000');
      assert.equal(ev.status, 200, ev.text);
      assert.deepEqual(ev.json.events.map((e) => e.event_id).sort(), all.sort());
      const spike = ev.json.events.find((e) => e.event_id === d.event_id);
      assert.equal(spike.series, 'spiked');
      assert.equal(spike.tenant, 'acme');
      assert.deepEqual(spike.values, [points[300].value]);
      assert.equal(spike.score, d.score);

      const m = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(m, /^flk_anomaly_observations_total\{mode="shadow"\} 1520$/m);
      assert.match(m, new RegExp(`^flk_anomaly_anomalies_total\\{mode="shadow"\\} ${all.length}$`, 'm'));
      assert.match(m, /^flk_anomaly_score_count\{mode="shadow"\} 1520$/m);
      assert.match(m, /^# TYPE flk_anomaly_feedback_total counter$/m);
    });

    test('events are audited (CloudEvents export) and paged', async () => {
      const res = await fetch(`${srv.url}/v1/admin/audit?format=cloudevents`, { headers: ADMIN });
      const ces = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
      const detected = ces.filter((c) => c.type.includes('anomaly.detected'));
      const stored = (await events(srv.url, 'acme', 'limit=1000')).json.events;
      assert.equal(detected.length, stored.length);
      const file = join(dir, 'audit.jsonl');
      writeFileSync(file, await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text());
      const verify = spawnSync(flkBin, ['audit', 'verify', file], { encoding: 'utf8' });
      assert.equal(verify.status, 0, verify.stdout + verify.stderr);

      const page1 = await events(srv.url, 'acme', 'limit=2');
      assert.equal(page1.json.events.length, 2);
      const { since, after_id: afterId } = page1.json.next;
      const page2 = await events(srv.url, 'acme', `since=${since}&after_id=${encodeURIComponent(afterId)}&limit=1000`);
      assert.deepEqual([...page1.json.events, ...page2.json.events].map((e) => e.event_id), stored.map((e) => e.event_id));
      assert.equal((await events(srv.url, 'acme', 'since=99999999999999')).json.events.length, 0);
    });

    test('concurrent observations of many series are all scored once', async () => {
      const before = Number((await (await fetch(`${srv.url}/metrics`)).text()).match(/^flk_anomaly_observations_total\{mode="shadow"\} (\d+)$/m)[1]);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        observe(srv.url, 'acme', { series: `par-${i}`, points: wave(50, { seed: 100 + i }) })));
      assert.deepEqual(results.map((r) => r.status), Array(40).fill(200));
      const after = Number((await (await fetch(`${srv.url}/metrics`)).text()).match(/^flk_anomaly_observations_total\{mode="shadow"\} (\d+)$/m)[1]);
      assert.equal(after - before, 2000);
    });

    test('tenants are kept apart', async () => {
      // beta's stream of the same name is its own (earlier timestamps are fine), and it sees none of acme's events.
      const b = await observe(srv.url, 'beta', { series: 'spiked', points: wave(40, { t0: 1_000 }).map((p, i) => ({ ...p, value: i === 30 ? 90 : p.value })) });
      assert.equal(b.status, 200, b.text);
      const mine = b.json.decisions.filter((x) => x.is_anomaly).map((x) => x.event_id);
      assert.ok(mine.length > 0);
      const seen = (await events(srv.url, 'beta')).json.events;
      assert.deepEqual(seen.map((e) => e.event_id), mine);
      assert.ok(seen.every((e) => e.tenant === 'beta'));
      assert.deepEqual((await events(srv.url, 'beta', '', { admin: true })).json.events, seen);
      assert.ok((await events(srv.url, 'acme', '', { admin: true })).json.events.every((e) => e.tenant === 'acme'));
      // acme's key does not read or write as beta.
      const forged = await fetch(`${srv.url}/v1/anomaly/events`, { headers: { 'X-Tenant-Id': 'beta', 'X-Flk-Signature': sign('acme', '/v1/anomaly/events') } });
      assert.equal(forged.status, 401);
      const text = JSON.stringify({ series: 'x', points: [{ ts: 1, value: 1 }] });
      const w = await post(srv.url, '/v1/anomaly/observe', text, { 'X-Tenant-Id': 'beta', 'X-Flk-Signature': sign('acme', text) });
      assert.equal(w.status, 401);
      assert.equal(w.json.error.code, 'bad_signature');
      assert.equal((await fetch(`${srv.url}/v1/anomaly/events`, { headers: { 'X-Tenant-Id': 'beta', Authorization: 'Bearer wrong' } })).status, 401);
    });

    test('feedback is idempotent by item id and re-optimises the threshold after N items', async () => {
      const few = Array.from({ length: 10 }, (_, i) => ({ id: `f${i}`, score: i < 5 ? 0.2 : 0.8, label: i < 5 ? 'normal' : 'anomaly' }));
      const r1 = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: few });
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r1.json.added, 10);
      assert.deepEqual(r1.json.confusion, { ...r1.json.confusion, tp: 5, fp: 0, tn: 5, fn: 0 });
      const r2 = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: few });
      assert.equal(r2.json.added, 0);
      assert.equal(r2.json.unchanged, 10);
      assert.equal(r2.json.items_kept, 10);

      // 100 more: the sweep runs; normals up to 0.45, anomalies from 0.6 -> a new threshold.
      const many = Array.from({ length: 100 }, (_, i) => ({ id: `g${i}`, score: i % 2 ? 0.6 + i / 1000 : 0.3 + i / 1000, label: i % 2 ? 'anomaly' : 'normal' }));
      const r3 = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: many });
      assert.equal(r3.status, 200, r3.text);
      assert.equal(r3.json.swept, true);
      assert.equal(r3.json.sweep.reason, 'optimised');
      assert.equal(r3.json.threshold_before, 0.5);
      assert.ok(r3.json.threshold > 0.45 && r3.json.threshold <= 0.61, r3.text);
      const th = r3.json.threshold;
      // The new threshold scores the tenant's next points.
      const o = await observe(srv.url, 'acme', { series: 'smooth', points: wave(1021).slice(1020) });
      assert.equal(o.json.threshold, th);
      const m = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(m, /^flk_anomaly_feedback_total\{mode="shadow"\} 110$/m);

      // 100 more that no threshold separates: the threshold stays, and the answer says so.
      const mixed = Array.from({ length: 100 }, (_, i) => ({ id: `h${i}`, score: 0.5 + (i % 10) / 100, label: i % 2 ? 'anomaly' : 'normal' }));
      const r4 = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: mixed });
      assert.equal(r4.json.swept, true);
      assert.equal(r4.json.sweep.changed, false);
      assert.equal(r4.json.sweep.reason, 'no_threshold_meets_constraints');
      assert.equal(r4.json.threshold, th);
      assert.match(r4.json.note, /^the threshold stays at/);
      // An item without a score labels a stored event (the spike): the event's score is used.
      const spike = (await events(srv.url, 'acme', 'limit=1000')).json.events.find((e) => e.series === 'spiked');
      const byEvent = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: spike.event_id, label: 'anomaly' }] });
      assert.equal(byEvent.status, 200, byEvent.text);
      assert.equal(byEvent.json.added, 1);
      assert.equal(byEvent.json.items_kept, 211);
      const same = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: spike.event_id, score: spike.score, label: 'anomaly' }] });
      assert.equal(same.json.unchanged, 1, 'the stored score was the one used');
      const unknown = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: 'spiked@1.0', label: 'normal' }] });
      assert.equal(unknown.status, 422);
      assert.equal(unknown.json.error.code, 'unknown_event');
      assert.equal(unknown.json.error.path, '$.items[0].id');
      const bad = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: 'z', score: 2, label: 'anomaly' }] });
      assert.equal(bad.status, 422, bad.text);
      assert.match(bad.json.error.path, /^\$\.items\[0\]\.score/);
    });

    test('bad input gets typed errors and never takes the server down', async () => {
      const cases = [
        [await observe(srv.url, 'acme', '{"series": "x", "points": ['), 400, 'bad_json'],
        [await observe(srv.url, 'acme', '{"series": "x", "points": [{"ts": 1, "value": NaN}]}'), 400, 'bad_json'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: 'NaN' }] }), 422, 'wrong_type', '$.points[0].value'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: null }] }), 422, 'wrong_type', '$.points[0].value'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: 1e300 }] }), 422, 'out_of_range', '$.points[0].value'],
        [await observe(srv.url, 'acme', '{"series": "x", "points": [{"ts": 1, "value": 1e999}]}'), 400, 'bad_json'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 2, value: 1 }, { ts: 1, value: 1 }] }), 422, 'unsorted_timestamps', '$.points[1].ts'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 2, value: 1 }, { ts: 2, value: 1 }] }), 422, 'duplicate_timestamp', '$.points[1].ts'],
        [await observe(srv.url, 'acme', { series: 'smooth', points: [{ ts: 5, value: 1 }] }), 422, 'unsorted_timestamps', '$.points[0].ts'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, values: [1, 2] }] }), 422, 'bad_length', '$.points[0].values'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: 1, values: [1] }] }), 422, 'conflicting_fields', '$.points[0]'],
        [await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: 1, extra: 1 }] }), 422, 'unknown_field'],
        [await observe(srv.url, 'acme', { series: 'x', points: [] }), 422, 'bad_length', '$.points'],
        [await observe(srv.url, 'acme', { series: 'x', points: wave(1001) }), 422, 'bad_length', '$.points'],
        [await observe(srv.url, 'acme', { series: 'bad name!', points: [{ ts: 1, value: 1 }] }), 422, 'bad_format', '$.series'],
        [await observe(srv.url, 'acme', { series: 'x', columns: ['cpu'], points: [{ ts: 1, value: 1 }] }), 422, 'conflicting_fields'],
        [await observe(srv.url, 'acme', '[1]'), 422, 'wrong_type'],
        [await post(srv.url, '/v1/anomaly/observe', { series: 'x', points: [{ ts: 1, value: 1 }] }, { 'X-Tenant-Id': 'nobody' }), 401, 'bad_signature'],
        [await post(srv.url, '/v1/anomaly/observe', { series: 'x', points: [{ ts: 1, value: 1 }] }, { 'X-Tenant-Id': 'acme' }), 401, 'bad_signature'],
        [await send(srv.url, '/v1/anomaly/observe', 'acme', { series: 'x', points: [{ ts: 1, value: 1 }] }, { 'Content-Type': 'text/plain' }), 415, 'unsupported_media_type'],
        [await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: 'a', score: 0.5, label: 'maybe' }] }), 422, 'out_of_range'],
        [await events(srv.url, 'acme', 'limit=0'), 422, 'out_of_range', 'limit'],
        [await events(srv.url, 'acme', 'since=-5'), 422, 'out_of_range', 'since'],
        [await events(srv.url, 'acme', 'limit=%2B5'), 422, 'out_of_range', 'limit'],  // digits only: no sign
        [await events(srv.url, 'acme', 'limit=%205'), 422, 'out_of_range', 'limit'],  // nor a blank
      ];
      for (const [res, status, code, path] of cases) {
        assert.equal(res.status, status, res.text);
        assert.equal(res.json.error.code, code, res.text);
        if (path) assert.equal(res.json.error.path, path, res.text);
      }
      // Seeded mutations of a valid body (bytes flipped, cut, values replaced): typed answers only.
      const z = normals(11);
      const pick = (n) => Math.floor(((z() + 4) / 8) * n + n) % n;
      const valid = JSON.stringify({ series: 'fuzz', points: wave(20).map((p) => ({ ts: p.ts, value: p.value })) });
      const odd = ['null', '"x"', '[]', '{}', '1e999', '-0', 'true', '[[1]]', '{"ts":1}', '1.5e308'];
      for (let i = 0; i < 200; i++) {
        let text = valid;
        const at = pick(text.length);
        if (i % 3 === 0) text = text.slice(0, at);
        else if (i % 3 === 1) text = text.slice(0, at) + String.fromCharCode(32 + pick(95)) + text.slice(at + 1);
        else text = text.replace(/-?\d+\.\d+/, odd[i % odd.length]);
        const res = await observe(srv.url, 'acme', text);
        assert.ok([200, 400, 422].includes(res.status), `${res.status} for ${text}: ${res.text}`);
        if (res.status !== 200) assert.ok(res.json.error.code && res.json.error.message, res.text);
      }
      // The failed calls left the series as it was: it continues from its last timestamp.
      const ok = await observe(srv.url, 'acme', { series: 'x', points: [{ ts: 1, value: 1 }] });
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
    });

    test('an installed model scores the tenant (vectors with columns, blocking mode); events survive a restart', async () => {
      // A two-column model fitted with the facade on smooth training rows.
      const z = normals(7);
      const rows = Array.from({ length: 600 }, (_, i) => [10 + Math.sin(i / 10) + 0.3 * z(), 100 + 3 * Math.cos(i / 15) + z()]);
      const fit = spawnSync(flkBin, ['call', 'anomaly.fit'], {
        input: JSON.stringify({ rows, columns: ['cpu', 'mem'], detector: 'zscore' }), encoding: 'utf8',
      });
      assert.equal(fit.status, 0, fit.stderr);
      const model = JSON.parse(fit.stdout).model;
      const put = (body, headers = ADMIN) => fetch(`${srv.url}/v1/admin/tenants/beta/anomaly/model`, {
        method: 'PUT', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
      });
      assert.equal((await put({ model }, {})).status, 401);
      const broken = await put({ model: { ...model, calibration: { ...model.calibration, q: -1 } } });
      assert.equal(broken.status, 422);
      assert.match((await broken.json()).error.path, /^\$\.model/);
      // A value of 1e308 in a model would overflow its scores: the core's model reader refuses it.
      const huge = await put({ model: { ...model, scaler: { ...model.scaler, mean: [1e308, model.scaler.mean[1]] } } });
      assert.equal(huge.status, 422);
      assert.equal((await huge.json()).error.path, '$.model.scaler.mean[0]');
      const bareHuge = await put({ ...model, fill: [model.fill[0], -1e308] });
      assert.equal(bareHuge.status, 422);
      const hugeError = (await bareHuge.json()).error;
      assert.equal(hugeError.path, '$.fill[1]');
      assert.ok(!hugeError.message.includes('$.model'), hugeError.message);  // the message names the bare file's path too
      const bare = await put(model);  // the file `flk anomaly fit --out` writes, as it is
      assert.equal(bare.status, 200, await bare.text());
      const res = await put({ model, mode: 'blocking' });
      assert.equal(res.status, 200, await res.text());
      const info = await (await fetch(`${srv.url}/v1/admin/tenants/beta/anomaly/model`, { headers: ADMIN })).json();
      assert.deepEqual({ ...info, series: 0 }, { model: 'tenant', mode: 'blocking', detector: 'zscore', columns: ['cpu', 'mem'], threshold: 0.5, series: 0, feedback_items: 0 });

      const points = rows.slice(0, 300).map((r, i) => ({ ts: 5000 + i, values: r }));
      points[200].values = [10, 400];
      const o = await observe(srv.url, 'beta', { series: 'host-1', columns: ['cpu', 'mem'], points });
      assert.equal(o.status, 200, o.text);
      assert.equal(o.json.model, 'tenant');
      const d = o.json.decisions[200];
      assert.equal(d.is_anomaly, true, JSON.stringify(d));
      assert.equal(d.action, 'block', JSON.stringify(d));
      assert.ok(o.json.decisions.filter((x) => x.is_anomaly && (x.ts < 5200 || x.ts > 5205)).length <= MAX_FALSE_FLAGS * 300);
      const before = (await events(srv.url, 'beta', 'limit=1000')).json.events;
      assert.ok(before.length > 0);

      await srv.stop();
      srv = await start();
      const afterRestart = (await events(srv.url, 'beta', 'limit=1000')).json.events;
      assert.deepEqual(afterRestart, before);
      const again = await (await fetch(`${srv.url}/v1/admin/tenants/beta/anomaly/model`, { headers: ADMIN })).json();
      assert.equal(again.mode, 'blocking', 'the installed model is stored');
      assert.equal(again.model, 'tenant');
      // acme's feedback loop survives too: resent items change nothing, the tuned threshold stays.
      const fb = await send(srv.url, '/v1/anomaly/feedback', 'acme', { items: [{ id: 'f0', score: 0.2, label: 'normal' }] });
      assert.equal(fb.json.unchanged, 1);
      assert.equal(fb.json.items_kept, 211);
      assert.notEqual(fb.json.threshold, 0.5);
    });
  });
}

test('the server watches its own request rate and reports a burst as an anomaly of _self', async () => {
  const dir = tmp('flk-anomaly-self-');
  const srv = await startServer({ data: dir, args: args(dir).map((a, i, all) => (all[i - 1] === '--anomaly-self-ms' ? '100' : a)) });
  try {
    await new Promise((r) => setTimeout(r, 2500));  // an idle baseline: more than the 16-sample warm-up
    await Promise.all(Array.from({ length: 400 }, () => fetch(`${srv.url}/healthz`).then((r) => r.text())));
    let self = [];
    for (let i = 0; i < 30 && !self.some((e) => e.series === 'request_rate'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      self = (await events(srv.url, '_self', 'limit=1000', { admin: true })).json.events;
    }
    assert.ok(self.some((e) => e.series === 'request_rate' && e.values[0] > 100), JSON.stringify(self));
    const m = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(m, /^flk_anomaly_self_samples_total\{series="request_rate"\} [1-9]/m);
    assert.match(m, /^flk_anomaly_anomalies_total\{mode="shadow"\} [1-9]/m);
    // Nobody can write as _self, and it is no tenant to sign as.
    assert.equal((await post(srv.url, '/v1/anomaly/observe', { series: 'request_rate', points: [{ ts: 1, value: 1 }] }, { 'X-Tenant-Id': '_self' })).status, 401);
  } finally {
    await srv.stop();
    cleanup(dir);
  }
});

test('a tenant keeps at most --anomaly-max-series series, and its rate limit applies to observe', async () => {
  const dir = tmp('flk-anomaly-limits-');
  const file = join(dir, 'tenants.json');
  writeFileSync(file, JSON.stringify({ tenants: [
    { id: 'acme', keys: [{ kid: 'k1', key: { alg: 'hmac', key_text: KEYS.acme } }] },
    { id: 'beta', rate_per_sec: 1, burst: 2, keys: [{ kid: 'k1', key: { alg: 'hmac', key_text: KEYS.beta } }] },
  ] }));
  const srv = await startServer({ data: dir, args: ['--tenants-file', file, '--admin-token', 'admin-secret', '--log-level', 'warn',
    '--anomaly-self-ms', '0', '--anomaly-max-series', '2'] });
  try {
    const point = (ts) => ({ points: [{ ts, value: 1 }] });
    for (const s of ['a', 'b']) assert.equal((await observe(srv.url, 'acme', { series: s, ...point(100) })).status, 200);
    assert.equal((await observe(srv.url, 'acme', { series: 'a', ...point(50) })).json.error.code, 'unsorted_timestamps');
    assert.equal((await observe(srv.url, 'acme', { series: 'a', ...point(200) })).status, 200);
    // c drops b, the least recently observed: b starts afresh (and drops a), c is still there.
    assert.equal((await observe(srv.url, 'acme', { series: 'c', ...point(100) })).status, 200);
    assert.equal((await observe(srv.url, 'acme', { series: 'b', ...point(50) })).status, 200, 'b was dropped');
    assert.equal((await observe(srv.url, 'acme', { series: 'c', ...point(50) })).json.error.code, 'unsorted_timestamps');
    assert.equal((await observe(srv.url, 'acme', { series: 'a', ...point(50) })).status, 200, 'a was dropped');
    const info = await (await fetch(`${srv.url}/v1/admin/tenants/acme/anomaly/model`, { headers: ADMIN })).json();
    assert.equal(info.series, 2);

    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await observe(srv.url, 'beta', { series: 'x', ...point(i + 1) })).status);
    assert.deepEqual(codes.slice(0, 2), [200, 200]);
    assert.ok(codes.slice(2).includes(429), String(codes));
  } finally {
    await srv.stop();
    cleanup(dir);
  }
});

test('two instances on one PostgreSQL take up each other\'s model and feedback threshold', async () => {
  const dir = tmp('flk-anomaly-two-');
  const db = stores.database('postgres');
  const more = ['--tenant-refresh', '1'];
  const a = await startServer({ data: join(dir, 'a'), store: db, args: args(dir, more) });
  const b = await startServer({ data: join(dir, 'b'), store: db, args: args(dir, more) });
  const until = async (what, check) => {
    for (let i = 0; i < 50; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`instance b did not take up ${what}`);
  };
  try {
    // b has loaded acme with the default model before a installs another.
    assert.equal((await observe(b.url, 'acme', { series: 's', points: wave(5) })).json.model, 'default');
    const fit = spawnSync(flkBin, ['call', 'anomaly.fit'], { input: JSON.stringify({ rows: wave(300).map((p) => [p.value]), detector: 'zscore' }), encoding: 'utf8' });
    const put = await fetch(`${a.url}/v1/admin/tenants/acme/anomaly/model`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json', ...ADMIN }, body: JSON.stringify({ model: JSON.parse(fit.stdout).model, mode: 'guardrail' }),
    });
    assert.equal(put.status, 200);
    await until('the model', async () => (await (await fetch(`${b.url}/v1/admin/tenants/acme/anomaly/model`, { headers: ADMIN })).json()).model === 'tenant');
    const o = await observe(b.url, 'acme', { series: 's', points: wave(10).slice(5) });
    assert.equal(o.json.mode, 'guardrail');
    // Feedback on a moves the threshold; b scores with it after its next refresh.
    const items = Array.from({ length: 100 }, (_, i) => ({ id: `g${i}`, score: i % 2 ? 0.6 + i / 1000 : 0.3 + i / 1000, label: i % 2 ? 'anomaly' : 'normal' }));
    const fb = await send(a.url, '/v1/anomaly/feedback', 'acme', { items });
    assert.equal(fb.json.sweep.reason, 'optimised', fb.text);
    let ts = wave(10)[9].ts;
    await until('the threshold', async () => (await observe(b.url, 'acme', { series: 's', points: [{ ts: (ts += 60), value: 50 }] })).json.threshold === fb.json.threshold);
    const again = await send(b.url, '/v1/anomaly/feedback', 'acme', { items: items.slice(0, 3) });
    assert.equal(again.json.unchanged, 3, 'b has a\'s items too');
  } finally {
    await a.stop();
    await b.stop();
    cleanup(dir);
  }
});
