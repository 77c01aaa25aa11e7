// flk-server end to end, over HTTP, once on SQLite and once on PostgreSQL: the PCS pipeline
// (verdicts, duplicates, tenants, signatures), bad input that must never kill the process,
// key rotation through the admin API, rate limits, the audit log checked by `flk audit
// verify`, a graceful drain, two instances on one PostgreSQL, and a crash test: SIGKILL during
// a load of submissions, restart, and every acknowledged submission is there exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { root } from './engines.mjs';
import { bothStores, cleanup, flkBin, freePort, pcsFactory, post, serverBin, startServer, tmp } from './server-harness.mjs';

const HMAC = { alg: 'hmac', key_text: 'testsecret' };
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ED_SIGN = { alg: 'ed25519', seed_hex: SEED };
const ED_PUB = { alg: 'ed25519', public_key_b64: '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=' };
const ADMIN = { Authorization: 'Bearer admin-secret' };

function tenantsFile(dir) {
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify({
    tenants: [
      { id: 'default', keys: [{ kid: 'h1', key: HMAC }] },
      { id: 'edge', keys: [{ kid: 'e1', key: ED_PUB }] },
      { id: 'slow', rate_per_sec: 1, burst: 2, keys: [{ kid: 's1', key: HMAC }] },
      { id: 'meter', keys: [{ kid: 'm1', key: HMAC }] },
    ],
  }));
  return path;
}

const baseArgs = (dir) => ['--tenants-file', tenantsFile(dir), '--admin-token', 'admin-secret', '--read-timeout', '1',
  '--rate-limit', '100000', '--log-level', 'warn'];

async function auditLog(url, dir) {
  const res = await fetch(`${url}/v1/admin/audit`, { headers: ADMIN });
  assert.equal(res.status, 200);
  const text = await res.text();
  const file = join(dir, `audit-${Date.now()}.jsonl`);
  writeFileSync(file, text);
  const raw = text.split('\n').filter(Boolean);
  return { file, lines: raw.map((l) => JSON.parse(l)), raw };
}

function flkAuditVerify(file) {
  const r = spawnSync(flkBin, ['audit', 'verify', file], { encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout) };
}

// Sends raw bytes; resolves with whatever the server answered before closing (or after ms).
function raw(port, chunks, { gapMs = 0, waitMs = 3000 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    s.on('connect', async () => {
      for (const c of chunks) {
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    setTimeout(() => {
      s.destroy();
      resolve(got);
    }, waitMs);
  });
}

const stores = bothStores();
let pcs;
// X-Flk-Signature of a body with the HMAC key every HMAC tenant here shares.
const hmacSig = (body) => pcs.flk.crypto.hmac_sha256({ key_text: HMAC.key_text, message_text: body }).mac_b64;
before(async () => {
  pcs = await pcsFactory();
});

for (const kind of stores.kinds) {
  describe(`flk-server on ${kind}`, () => {
    let dir, srv;
    const store = () => stores.database(kind);
    before(async () => {
      dir = tmp('flk-e2e-');
      srv = await startServer({ data: dir, store: store(), args: baseArgs(dir) });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('a PCS is verified, stored once, and duplicates get the first answer', async () => {
      const doc = pcs.make(1001, HMAC);
      const first = await post(srv.url, '/v1/pcs/submit', doc);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.accepted, true);
      assert.equal(first.json.duplicate, false);
      assert.equal(first.json.pcs_id, doc.pcs_id);
      const again = await post(srv.url, '/v1/pcs/submit', doc);
      assert.equal(again.status, 200);
      assert.deepEqual({ ...again.json, duplicate: false }, first.json);
      assert.equal(again.json.duplicate, true);

      // An escalation (claimed budget off by more than 0.01) is 202 and stays 202 on a resubmit.
      const esc = pcs.make(1002, HMAC, { budget: 0.5 });
      const e1 = await post(srv.url, '/v1/pcs/submit', esc);
      assert.equal(e1.status, 202, e1.text);
      assert.equal(e1.json.escalated, true);
      assert.equal((await post(srv.url, '/v1/pcs/submit', esc)).status, 202);

      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      for (const name of ['flk_ingest_total', 'flk_dedup_hits', 'flk_accepted', 'flk_escalated', 'flk_signature_errors',
        'flk_wal_errors', 'flk_quota_exceeded_by_tenant', 'flk_http_request_duration_seconds_bucket'])
        assert.match(metrics, new RegExp(`^# TYPE ${name.replace('_bucket', '')} `, 'm'), name);
      assert.match(metrics, /^flk_accepted_by_tenant\{tenant="default"\} [1-9]/m);
      assert.match(metrics, /^flk_http_request_duration_seconds_count\{route="\/v1\/pcs\/submit",method="POST"\} [1-9]/m);
    });

    test('tenants: Ed25519 keys, isolation and unknown tenants', async () => {
      const doc = pcs.make(2001, ED_SIGN);
      const ok = await post(srv.url, '/v1/pcs/submit', doc, { 'X-Tenant-Id': 'edge' });
      assert.equal(ok.status, 200, ok.text);
      // The same document is not valid for a tenant whose key did not sign it…
      const other = await post(srv.url, '/v1/pcs/submit', doc, { 'X-Tenant-Id': 'default' });
      assert.equal(other.status, 401);
      assert.equal(other.json.error.code, 'bad_signature');
      // …and the same pcs_id under another tenant is that tenant's own first write.
      const mine = await post(srv.url, '/v1/pcs/submit', pcs.make(2001, HMAC), { 'X-Tenant-Id': 'default' });
      assert.equal(mine.status, 200);
      assert.equal(mine.json.duplicate, false);
      // An unknown tenant is answered as a wrong signature: the answer does not tell who exists.
      const unknown = await post(srv.url, '/v1/pcs/submit', doc, { 'X-Tenant-Id': 'nobody' });
      assert.equal(unknown.status, 401);
      assert.equal(unknown.text, other.text);
    });

    test('bad input gets typed errors and never takes the server down', async () => {
      const doc = pcs.make(3001, HMAC);
      const cases = [
        [await post(srv.url, '/v1/pcs/submit', '{"pcs_id": '), 400, 'bad_json'],
        [await post(srv.url, '/v1/pcs/submit', '[1,2]'), 422, 'wrong_type'],
        [await post(srv.url, '/v1/pcs/submit', { ...doc, epoch: 'one' }), 422, 'wrong_type'],
        [await post(srv.url, '/v1/pcs/submit', { ...doc, extra: 1 }), 422, 'unknown_field'],
        [await post(srv.url, '/v1/pcs/submit', { ...doc, sig: 'not base64!' }), 401, 'bad_signature'],
        [await post(srv.url, '/v1/pcs/submit', JSON.stringify(doc), { 'Content-Type': 'text/plain' }), 415, 'unsupported_media_type'],
        [await post(srv.url, '/v1/pcs/submit', 'x'.repeat(2 << 20)), 413, 'too_large'],
        [await post(srv.url, '/v1/nothing', '{}'), 404, 'not_found'],
        [await post(srv.url, '/healthz', '{}'), 405, 'method_not_allowed'],
      ];
      for (const [res, status, code] of cases) {
        assert.equal(res.status, status, res.text);
        assert.equal(res.json.error.code, code, res.text);
      }
      assert.equal(cases[2][0].json.error.path, '$.epoch');
      // Paths are relative to the body in the message too ("$_id is required" before).
      const noId = { ...doc };
      delete noId.pcs_id;
      const missing = await post(srv.url, '/v1/pcs/submit', noId);
      assert.equal(missing.status, 422, missing.text);
      assert.deepEqual(missing.json.error, { code: 'missing_field', message: '$.pcs_id is required', path: '$.pcs_id' });
      // Raw garbage, a stalled request (slow client) and a huge Content-Length announced up front.
      assert.match(await raw(srv.port, ['NOT HTTP AT ALL\r\n\r\n']), /^HTTP\/1\.1 400/);
      assert.match(await raw(srv.port, ['POST /v1/pcs/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'],
        { waitMs: 4000 }), /^HTTP\/1\.1 408/, 'a stalled client is told 408 after --read-timeout');
      assert.match(await raw(srv.port, ['POST /v1/pcs/submit HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{']),
        /^HTTP\/1\.1 413/);
      // The 413 reaches clients that are still uploading (the server drains before it closes,
      // else a RST can destroy the answer: most of these failed before the lingering close).
      for (let i = 0; i < 30; i++) assert.equal((await post(srv.url, '/v1/pcs/submit', 'x'.repeat(2 << 20))).status, 413);
      // Still serving.
      assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
      assert.equal((await post(srv.url, '/v1/pcs/submit', doc)).status, 200);
    });

    test('keys rotate through the admin API and every change is audited', async () => {
      assert.equal((await fetch(`${srv.url}/v1/admin/tenants`)).status, 401);
      const k2 = { alg: 'hmac', key_text: 'second secret' };
      const add = await post(srv.url, '/v1/admin/tenants/default/keys', { kid: 'h2', key: k2 }, ADMIN);
      assert.equal(add.status, 201, add.text);
      assert.equal((await post(srv.url, '/v1/admin/tenants/default/keys', { kid: 'h2', key: k2 }, ADMIN)).status, 409);
      const bad = await post(srv.url, '/v1/admin/tenants/default/keys', { kid: 'h3', key: { alg: 'ed25519', public_key_b64: 'AA==' } }, ADMIN);
      assert.equal(bad.status, 422);
      assert.match(bad.json.error.path, /^\$\.key/);
      // During the overlap both keys verify; after retiring h1 with no overlap only h2 does.
      assert.equal((await post(srv.url, '/v1/pcs/submit', pcs.make(4001, HMAC))).status, 200);
      assert.equal((await post(srv.url, '/v1/pcs/submit', pcs.make(4002, k2))).status, 200);
      const retire = await post(srv.url, '/v1/admin/tenants/default/keys/h1/retire', { overlap_seconds: 0 }, ADMIN);
      assert.equal(retire.status, 200, retire.text);
      assert.equal((await post(srv.url, '/v1/pcs/submit', pcs.make(4003, HMAC))).status, 401);
      assert.equal((await post(srv.url, '/v1/pcs/submit', pcs.make(4004, k2))).status, 200);
      const tenants = await (await fetch(`${srv.url}/v1/admin/tenants`, { headers: ADMIN })).json();
      const def = tenants.tenants.find((t) => t.id === 'default');
      assert.deepEqual(def.keys.map((k) => [k.kid, k.live]), [['h1', false], ['h2', true]]);
      assert.equal(JSON.stringify(tenants).includes('second secret'), false, 'secrets are never listed');

      const { file, lines, raw: rawLines } = await auditLog(srv.url, dir);
      const types = lines.map((l) => l.type);
      assert.ok(types.includes('key.added') && types.includes('key.retired') && types.includes('pcs.verdict'));
      const { status, report } = flkAuditVerify(file);
      assert.equal(status, 0, JSON.stringify(report));
      assert.equal(report.count, lines.length);
      const head = await (await fetch(`${srv.url}/v1/admin/audit/head`, { headers: ADMIN })).json();
      assert.equal(head.hash, report.head_hash);
      // Any edit is found and named.
      const edited = [...rawLines];
      edited[1] = edited[1].replace(/"tenant":"[^"]*"/, '"tenant":"mallory"');
      writeFileSync(file, edited.join('\n'));
      const broken = flkAuditVerify(file);
      assert.equal(broken.status, 3);
      assert.equal(broken.report.problem.kind, 'edited');
      assert.equal(broken.report.problem.index, 1);
      for (const path of ['/v1/admin/audit?limt=5', '/v1/admin/audit/head?x=1', '/v1/admin/tenants?all=1']) {
        const res = await fetch(`${srv.url}${path}`, { headers: ADMIN });
        assert.equal(res.status, 422, path);  // a misspelt parameter is refused, not ignored
        assert.equal((await res.json()).error.code, 'unknown_parameter', path);
      }
      const ce = await (await fetch(`${srv.url}/v1/admin/audit?format=cloudevents&limit=1`, { headers: ADMIN })).text();
      const ev = JSON.parse(ce.trim());
      assert.equal(ev.specversion, '1.0');
      assert.equal(ev.id, lines[0].hash);
    });

    test('usage events are priced by cost.usage, signed by the tenant, and charged once per event id', async () => {
      const event = (id) => ({ event_id: id, model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 200,
        total_tokens: 1200, prompt_tokens_details: { cached_tokens: 600, audio_tokens: 0 } } });
      const edSig = (body) => pcs.flk.crypto.ed25519_sign({ seed_hex: SEED,
        message_b64: pcs.flk.crypto.sha256({ data_text: body }).digest_b64 }).signature_b64;
      const send = (body, headers) => post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'meter', ...headers });

      const one = JSON.stringify(event('evt-1'));
      const first = await send(one, { 'X-Flk-Signature': hmacSig(one) });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.duplicate, false);
      const direct = pcs.flk.call('cost.usage', { model: 'gpt-4o', usage: event('x').usage });
      assert.deepEqual(first.json.usage, direct, 'the server answers exactly what the facade computes');
      const again = await send(one, { 'X-Flk-Signature': hmacSig(one) });
      assert.equal(again.json.duplicate, true);
      assert.deepEqual(again.json.usage, first.json.usage);

      const batch = JSON.stringify({ events: [event('evt-1'), event('evt-2'), event('evt-2')] });
      const b = await send(batch, { 'X-Flk-Signature': hmacSig(batch) });
      assert.equal(b.status, 200, b.text);
      assert.deepEqual(b.json.results.map((r) => [r.event_id, r.duplicate]), [['evt-1', true], ['evt-2', false], ['evt-2', true]]);

      // Unsigned, wrongly signed, or signed by another tenant's key: nobody else can charge a tenant.
      assert.equal((await send(one, {})).status, 401);
      assert.equal((await send(one, { 'X-Flk-Signature': hmacSig(one + ' ') })).status, 401);
      assert.equal((await send(one, { 'X-Flk-Signature': edSig(one) })).status, 401);
      const edge = await send(one, { 'X-Flk-Signature': edSig(one), 'X-Tenant-Id': 'edge' });
      assert.equal(edge.status, 200, edge.text);
      assert.equal(edge.json.duplicate, false, 'event ids are per tenant');

      const bad = JSON.stringify({ events: [event('evt-3'), { event_id: 'evt-4', model: 'gpt-4o', usage: { prompt_tokens: -1 } }] });
      const r = await send(bad, { 'X-Flk-Signature': hmacSig(bad) });
      assert.equal(r.status, 422, r.text);
      assert.match(r.json.error.path, /^\$\.events\[1\]/);
      const noId = JSON.stringify({ model: 'gpt-4o', usage: event('x').usage });
      assert.equal((await send(noId, { 'X-Flk-Signature': hmacSig(noId) })).json.error.code, 'missing_field');
      const m = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(m, /^flk_usage_events_by_tenant\{tenant="meter"\} 2$/m);
    });

    test('facade ops served as routes answer the op\'s bytes (hrs.score, audit.verify)', async () => {
      const input = JSON.stringify({ question: 'Who designed the Eiffel Tower?', answer: 'Gustave Eiffel designed it in 1887.', task: 'qa' });
      const res = await post(srv.url, '/v1/hrs/score', input);
      assert.equal(res.status, 200, res.text);
      const cli = spawnSync(flkBin, ['call', 'hrs.score'], { input, encoding: 'utf8' });
      assert.equal(res.text, cli.stdout.trim());
      const bad = await post(srv.url, '/v1/hrs/score', '{"question": "q"}');
      assert.equal(bad.status, 422);
      assert.equal(bad.json.error.path, '$.answer');
      assert.equal((await post(srv.url, '/v1/hrs/score', '{"answer": ')).status, 400);
      const verify = await post(srv.url, '/v1/audit/verify', { entries: [] });
      assert.deepEqual(verify.json, { count: 0, head_hash: '0'.repeat(64), head_seq: 0, valid: true });
      // Naming a tenant needs its signature (then its rate: see the 429 test); unsigned calls spend
      // their address's rate.
      const stranger = await post(srv.url, '/v1/hrs/score', input, { 'X-Tenant-Id': 'nobody' });
      assert.equal(stranger.status, 401);
      assert.equal(stranger.json.error.code, 'bad_signature');
      const signed = await post(srv.url, '/v1/hrs/score', input, { 'X-Tenant-Id': 'meter', 'X-Flk-Signature': hmacSig(input) });
      assert.equal(signed.text, res.text);
    });

    test('a tenant over its rate gets 429 with Retry-After', async () => {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        const r = await post(srv.url, '/v1/pcs/submit', pcs.make(5000 + i, HMAC), { 'X-Tenant-Id': 'slow' });
        codes.push(r.status);
        if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) >= 1);
      }
      assert.deepEqual(codes.slice(0, 2), [200, 200]);
      assert.ok(codes.slice(2).includes(429), codes.join(','));
      // The same bucket serves the op routes (signed by the tenant).
      const body = '{"entries":[]}';
      assert.equal((await post(srv.url, '/v1/audit/verify', body, { 'X-Tenant-Id': 'slow', 'X-Flk-Signature': hmacSig(body) })).status, 429);
    });

    test('SIGKILL under load: after a restart every acknowledged submission is there exactly once', async () => {
      const crashDir = tmp('flk-crash-');
      const crashStore = store();
      const args = ['--tenants', 'default:hmac:testsecret', '--rate-limit', '1000000', '--log-level', 'warn', '--admin-token', 'admin-secret'];
      let s = await startServer({ data: crashDir, store: crashStore, args });
      const docs = Array.from({ length: 3000 }, (_, i) => pcs.make(100000 + i, HMAC));
      const acked = new Map();
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < docs.length) {
          const d = docs[next++];
          try {
            const r = await post(s.url, '/v1/pcs/submit', d);
            if (r.status === 200 || r.status === 202) acked.set(d.pcs_id, r.text);
          } catch {
            // the connection died with the server: not acknowledged
          }
          if (!killed && acked.size >= 400) {
            killed = true;
            s.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 24 }, worker));
      assert.equal((await s.exited).signal, 'SIGKILL');
      assert.ok(acked.size >= 400, `${acked.size} acknowledged`);

      s = await startServer({ data: crashDir, store: crashStore, args });
      try {
        const { file, lines } = await auditLog(s.url, crashDir);
        const verdicts = new Map();
        for (const l of lines.filter((e) => e.type === 'pcs.verdict')) verdicts.set(l.data.pcs_id, (verdicts.get(l.data.pcs_id) ?? 0) + 1);
        for (const id of acked.keys()) assert.equal(verdicts.get(id), 1, `acknowledged ${id} audited ${verdicts.get(id) ?? 0} times`);
        for (const [id, n] of verdicts) assert.equal(n, 1, `${id} audited ${n} times`);
        assert.equal(flkAuditVerify(file).status, 0);
        // Resubmitting an acknowledged one answers from the stored first write.
        for (const d of docs.filter((x) => acked.has(x.pcs_id)).slice(0, 50)) {
          const r = await post(s.url, '/v1/pcs/submit', d);
          assert.equal(r.json.duplicate, true);
          assert.deepEqual({ ...r.json, duplicate: false }, JSON.parse(acked.get(d.pcs_id)));
        }
        const m = await (await fetch(`${s.url}/metrics`)).text();
        assert.match(m, /^flk_wal_replayed_total [1-9]/m, 'the restart replayed the WAL');
      } finally {
        await s.stop();
        cleanup(crashDir);
      }
    });

    test('SIGTERM drains: a request already arriving is still answered, then the process exits 0', async () => {
      const d = tmp('flk-drain-');
      const s = await startServer({ data: d, store: store(), args: ['--tenants', 'default:hmac:testsecret', '--rate-limit', '100000'] });
      const body = JSON.stringify(pcs.make(6001, HMAC));
      const answer = new Promise((resolve) => {
        const sock = net.connect(s.port, '127.0.0.1');
        let got = '';
        sock.on('data', (x) => (got += x));
        sock.on('close', () => resolve(got));
        sock.on('connect', () => {
          sock.write(`POST /v1/pcs/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
          sock.write(body.slice(0, 100));
          setTimeout(() => s.child.kill('SIGTERM'), 100);
          setTimeout(() => sock.write(body.slice(100)), 400);
        });
      });
      const idle = net.connect(s.port, '127.0.0.1');  // an idle connection must not hold the drain up
      const idleClosed = new Promise((r) => idle.on('close', r));
      const got = await answer;
      assert.match(got, /^HTTP\/1\.1 200 /, got);
      assert.match(got, /Connection: close/i);
      await idleClosed;
      assert.deepEqual(await s.exited, { code: 0, signal: null });
      assert.match(s.log(), /"msg":"stopped"/);
      assert.match(s.log(), /"abandoned_requests":0/);
      cleanup(d);
    });
  });
}

test('two instances on one PostgreSQL agree on every first write', async () => {
  const url = stores.database('postgres');
  const dirs = [tmp('flk-a-'), tmp('flk-b-')];
  const args = ['--tenants', 'default:hmac:testsecret', '--rate-limit', '1000000', '--admin-token', 'admin-secret'];
  const [a, b] = await Promise.all(dirs.map((d) => startServer({ data: d, store: url, args })));
  try {
    const docs = Array.from({ length: 200 }, (_, i) => pcs.make(7000 + i, HMAC, i % 2 ? { budget: 0.9 } : {}));
    const answers = await Promise.all(docs.flatMap((d) => [post(a.url, '/v1/pcs/submit', d), post(b.url, '/v1/pcs/submit', d)]));
    for (let i = 0; i < docs.length; i++) {
      const [x, y] = [answers[2 * i], answers[2 * i + 1]];
      assert.equal(x.status, y.status);
      assert.deepEqual({ ...x.json, duplicate: 0 }, { ...y.json, duplicate: 0 });
      assert.equal([x, y].filter((r) => r.json.duplicate === false).length, 1, 'exactly one first write');
    }
    const { file, lines } = await auditLog(a.url, dirs[0]);
    assert.equal(lines.filter((l) => l.type === 'pcs.verdict').length, docs.length);
    assert.equal(flkAuditVerify(file).status, 0);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    dirs.forEach(cleanup);
  }
});

test("the README's server snippet runs as written (on a free port instead of 8080)", async () => {
  const snippet = readFileSync(join(root, 'docs/snippets/server.sh'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes(`<!-- snippet: docs/snippets/server.sh -->\n\`\`\`sh\n${snippet}\`\`\`\n`), 'README block = the file');
  const dir = tmp('flk-readme-');
  for (const d of ['dist', 'tests']) symlinkSync(join(root, d), join(dir, d));
  const port = await freePort();
  const script = snippet.replaceAll('8080', String(port)).replace('--data ./flk-data', `--data ./flk-data --listen 127.0.0.1:${port}`);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const [answer, ...metrics] = r.stdout.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('flk_'));
  const verdict = JSON.parse(answer);
  assert.deepEqual([verdict.status, verdict.accepted, verdict.duplicate], [200, true, false]);
  assert.deepEqual(metrics, ['flk_ingest_total 1', 'flk_accepted 1']);
  cleanup(dir);
});

test('flk-server --help names --version and the exit status; a bad flag exits 1 saying why', () => {
  const help = spawnSync(serverBin, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^--version prints the version and exits\.$/m);
  assert.match(help.stdout, /^exit status: 0 after a drain .*; 1 a bad flag or setting, or a start-up$/m);
  const bad = spawnSync(serverBin, ['--tenant-file'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'flk-server: unknown flag --tenant-file (see --help)\n');
});
