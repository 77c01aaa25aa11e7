// SIEM delivery end to end: flk-server pushes its audit chain to a receiver on loopback (CloudEvents
// batches and Splunk HEC), through a receiver answering 503, a receiver that is gone, a graceful
// restart, a SIGKILL, lost acknowledgements, a receiver that wants smaller batches and HTTPS. What
// must hold: every entry of the chain arrives; duplicates are only the re-sends at-least-once allows
// (a batch whose 2xx did not reach the server, or at most one batch after a SIGKILL), and they carry
// the same id (the entry hash), so dropping repeated ids gives the chain exactly.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, flkBin, startServer, tmp } from './server-harness.mjs';
import { startReceiver } from './support/siem-receiver.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dirs = [];
after(() => dirs.forEach(cleanup));
const newDir = () => {
  const d = tmp('flk-siem-');
  dirs.push(d);
  return d;
};

const siemArgs = (rcv, extra = []) => ['--admin-token', 'admin-secret', '--log-level', 'error', '--siem-url', rcv.url(),
  '--siem-interval-ms', '50', '--siem-max-backoff-ms', '300', '--siem-timeout', '2', ...extra];

// Each PUT of a tenant appends one audit entry (tenant.updated).
let serial = 0;
async function makeEntries(url, n) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/v1/admin/tenants/t-${serial++}`, {
      method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ rate_per_sec: i + 1 }),
    });
    assert.equal(res.status, 200);
  }
}

// The chain as the server exports it (checked by `flk audit verify`), parsed.
async function exported(url, dir) {
  const res = await fetch(`${url}/v1/admin/audit`, { headers: ADMIN });
  assert.equal(res.status, 200);
  const text = await res.text();
  if (dir) {
    const file = join(dir, `export-${Date.now()}.jsonl`);
    writeFileSync(file, text);
    const v = spawnSync(flkBin, ['audit', 'verify', file], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function waitFor(what, fn, ms = 20000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await fn()) return;
  throw new Error(`timed out waiting for ${what}`);
}

const entryOf = (ev) => (ev.specversion ? ev.data : ev.event);
const seqs = (events) => events.map((e) => entryOf(e).seq);
// Every seq 1..head acknowledged at least once.
const covers = (rcv, head) => {
  const seen = new Set(seqs(rcv.acked()));
  for (let s = 1; s <= head; s++) if (!seen.has(s)) return false;
  return true;
};

// The acknowledged entries, repeated ids dropped, in seq order, are the server's verified chain.
function assertChain(rcv, chain) {
  const byId = new Map();
  for (const ev of rcv.acked()) {
    const e = entryOf(ev);
    const id = ev.specversion ? ev.id : ev.fields.flk_hash;
    assert.equal(id, e.hash);
    if (byId.has(id)) assert.deepEqual(byId.get(id), e, 'a re-sent entry is the same entry');
    byId.set(id, e);
  }
  assert.deepEqual([...byId.values()].sort((a, b) => a.seq - b.seq), chain);
}

describe('SIEM delivery (CloudEvents)', () => {
  test('503s, a receiver outage and a graceful restart: nothing lost, nothing sent twice', async () => {
    const dir = newDir();
    const rcv = await startReceiver();
    const args = siemArgs(rcv, ['--siem-batch', '5', '--siem-token', 'ce-token']);
    let srv = await startServer({ data: dir, args });
    try {
      await makeEntries(srv.url, 12);
      await waitFor('the first 12 entries', () => covers(rcv, 12));
      const first = rcv.requests[0];
      assert.equal(first.headers['content-type'], 'application/cloudevents-batch+json');
      assert.equal(first.headers.authorization, 'Bearer ce-token');
      assert.equal(first.url, '/ingest');
      for (const ev of rcv.acked()) {
        assert.equal(ev.specversion, '1.0');
        assert.equal(ev.type, 'dev.fractal-lba.audit.tenant.updated');
        assert.equal(ev.sequence, String(ev.data.seq));
      }
      assert.ok(rcv.requests.every((q) => q.events.length <= 5), 'batches of at most --siem-batch');

      rcv.mode = 'fail';
      await makeEntries(srv.url, 6);
      await waitFor('5xx failures counted', async () => (await metric(srv.url, 'flk_siem_failures_total{reason="http_5xx"}')) >= 2);
      assert.ok((await metric(srv.url, 'flk_siem_lag_events')) > 0);
      await rcv.close();
      await makeEntries(srv.url, 4);
      await waitFor('network failures counted', async () => (await metric(srv.url, 'flk_siem_failures_total{reason="network"}')) >= 2);
      assert.equal(covers(rcv, 22), false);
      assert.equal((await srv.stop()).code, 0);

      srv = await startServer({ data: dir, args });
      await makeEntries(srv.url, 3);
      rcv.mode = 'ok';
      await rcv.reopen();
      await waitFor('all 25 entries', () => covers(rcv, 25));
      await waitFor('lag 0', async () => (await metric(srv.url, 'flk_siem_lag_events')) === 0);
      assert.equal(await metric(srv.url, 'flk_siem_cursor_seq'), 25);
      const chain = await exported(srv.url, dir);
      assert.equal(chain.length, 25);
      assert.equal(rcv.acked().length, 25, 'no entry acknowledged twice');
      assertChain(rcv, chain);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'siem-cursor.json'), 'utf8')), { hash: chain[24].hash, seq: 25 });
    } finally {
      await srv.stop();
      await rcv.close();
    }
  });

  test('lost acknowledgements and a SIGKILL: re-sends only, at most one batch after the kill', async () => {
    const dir = newDir();
    const rcv = await startReceiver();
    // The receiver takes the third request but answers after the sender's 1 s timeout.
    let n = 0;
    rcv.answer = () => (++n === 3 ? { status: 200, delay: 2000 } : 200);
    const args = siemArgs(rcv, ['--siem-batch', '4', '--siem-timeout', '1']);
    let srv = await startServer({ data: dir, args });
    try {
      await makeEntries(srv.url, 16);
      await waitFor('16 entries', () => covers(rcv, 16));
      const late = rcv.requests[2];
      const again = rcv.requests.slice(3).find((q) => q.events[0] && entryOf(q.events[0]).seq === entryOf(late.events[0]).seq);
      assert.ok(again, 'the batch whose answer was lost is sent again');
      // The retry starts at the same entry; it may take more, written since.
      assert.deepEqual(seqs(again.events).slice(0, late.events.length), seqs(late.events));
      assert.ok((await metric(srv.url, 'flk_siem_failures_total{reason="network"}')) >= 1);

      rcv.answer = null;
      const before = rcv.acked().length;
      // The kill cuts this load short: its failed request is expected.
      const load = makeEntries(srv.url, 40).catch(() => {});
      await waitFor('deliveries under way', () => rcv.acked().length >= before + 8);
      srv.child.kill('SIGKILL');
      await srv.exited;
      await load;
      srv = await startServer({ data: dir, args });
      const head = (await exported(srv.url)).length;
      await waitFor('every entry after the kill', () => covers(rcv, head));
      const acked = seqs(rcv.acked());
      const dupes = acked.length - new Set(acked).size;
      const lateDupes = late.events.length;
      assert.ok(dupes - lateDupes <= 4, `at most one batch re-sent after the kill (${dupes - lateDupes})`);
      assertChain(rcv, await exported(srv.url, dir));
    } finally {
      await srv.stop();
      await rcv.close();
    }
  });
});

describe('SIEM delivery (another chain)', () => {
  test('a cursor that names an entry the store does not hold restarts delivery at the first entry', async () => {
    const dir = newDir();
    const rcv = await startReceiver();
    const args = siemArgs(rcv);
    let srv = await startServer({ data: dir, args });
    try {
      await makeEntries(srv.url, 5);
      await waitFor('5 entries', () => covers(rcv, 5));
      await srv.stop();
      for (const f of readdirSync(dir)) if (f.startsWith('flk.sqlite')) rmSync(join(dir, f));
      srv = await startServer({ data: dir, args });
      await makeEntries(srv.url, 2);
      const chain = await exported(srv.url, dir);
      await waitFor('the new chain', () => rcv.acked().some((e) => e.id === chain[1].hash));
      assert.deepEqual(rcv.acked().slice(5).map((e) => e.data), chain);
    } finally {
      await srv.stop();
      await rcv.close();
    }
  });
});

describe('SIEM delivery (Splunk HEC)', () => {
  test('HEC events with the token, and halved batches after a 413', async () => {
    const dir = newDir();
    const rcv = await startReceiver();
    rcv.answer = () => 503;
    const srv = await startServer({ data: dir, args: siemArgs(rcv, ['--siem-format', 'hec', '--siem-token', 'hec-token',
      '--siem-batch', '8']).map((a) => (a === rcv.url() ? rcv.url('/services/collector/event') : a)) });
    try {
      await makeEntries(srv.url, 9);
      // A full batch must have failed before the 413s start: an earlier retry may still carry
      // the entries that existed when delivery first woke up.
      await waitFor('a failed full batch', () => rcv.requests.some((q) => q.events.length === 8));
      const from = rcv.requests.length;
      rcv.answer = (req, events) => (events.length > 2 ? 413 : 200);
      await waitFor('9 entries', () => covers(rcv, 9));
      const after413 = rcv.requests.slice(from);
      assert.deepEqual(after413.slice(0, 3).map((q) => [q.status, q.events.length]), [[413, 8], [413, 4], [200, 2]],
        'the batch is halved after each 413');
      for (const q of rcv.requests) {
        assert.equal(q.headers.authorization, 'Splunk hec-token');
        assert.equal(q.url, '/services/collector/event');
      }
      const now = Date.now() / 1000;
      for (const ev of rcv.acked()) {
        assert.equal(ev.sourcetype, 'flk:audit');
        assert.equal(ev.source, 'flk-server');
        assert.equal(ev.fields.flk_seq, ev.event.seq);
        assert.ok(Math.abs(ev.time - now) < 120);
        assert.equal(ev.time, Date.parse(ev.event.time) / 1000);
      }
      assertChain(rcv, await exported(srv.url, dir));
      assert.ok((await metric(srv.url, 'flk_siem_failures_total{reason="http_4xx"}')) >= 2);
    } finally {
      await srv.stop();
      await rcv.close();
    }
  });
});

describe('SIEM delivery (HTTPS and settings)', () => {
  test('https with a given CA delivers; without it, or for another host name, the certificate is refused', async () => {
    const dir = newDir();
    const certFor = (name, san) => {
      const key = join(dir, `${name}.key`);
      const cert = join(dir, `${name}.pem`);
      const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      return { path: cert, tls: { key: readFileSync(key), cert: readFileSync(cert) } };
    };
    const local = certFor('loopback', 'IP:127.0.0.1');
    const other = certFor('other.example', 'DNS:other.example');
    const rcv = await startReceiver({ tls: local.tls });
    const misnamed = await startReceiver({ tls: other.tls });
    const trusted = await startServer({ data: dir, args: siemArgs(rcv, ['--siem-ca-file', local.path]) });
    const untrusted = await startServer({ data: newDir(), args: siemArgs(rcv) });
    const wrongName = await startServer({ data: newDir(), args: siemArgs(misnamed, ['--siem-ca-file', other.path]) });
    try {
      for (const srv of [trusted, untrusted, wrongName]) await makeEntries(srv.url, 3);
      await waitFor('3 entries over https', () => covers(rcv, 3));
      for (const srv of [untrusted, wrongName]) {
        await waitFor('certificate refused', async () => (await metric(srv.url, 'flk_siem_failures_total{reason="network"}')) >= 1);
        assert.equal(await metric(srv.url, 'flk_siem_cursor_seq'), 0);
      }
      assert.equal(rcv.acked().length, 3, 'nothing from the server that does not trust the certificate');
      assert.equal(misnamed.requests.length, 0, 'nothing sent to a host whose certificate names another');
    } finally {
      for (const srv of [trusted, untrusted, wrongName]) await srv.stop();
      await rcv.close();
      await misnamed.close();
    }
  });

  test('bad settings and a malformed cursor stop the start', async () => {
    for (const [args, msg] of [
      [['--siem-url', 'ftp://example.com/x'], /http:\/\/ or https:\/\//],
      [['--siem-url', 'http://127.0.0.1:9/x', '--siem-format', 'hec'], /needs siem-token/],
      [['--siem-url', 'http://127.0.0.1:9/x', '--siem-format', 'syslog'], /cloudevents or hec/],
      [['--siem-url', 'http://127.0.0.1:9/x', '--siem-batch', '0'], /siem-batch/],
    ]) {
      const dir = newDir();
      await assert.rejects(startServer({ data: dir, args }), msg);
    }
    const dir = newDir();
    writeFileSync(join(dir, 'siem-cursor.json'), '{"seq": "7"}');
    await assert.rejects(startServer({ data: dir, args: ['--siem-url', 'http://127.0.0.1:9/x'] }), /not a SIEM cursor/);
  });
});
