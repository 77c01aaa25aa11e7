// `flk compliance report` over an audit chain that flk-server itself wrote: tenants and keys
// changed through the admin API, the log exported from /v1/admin/audit and anchored to
// /v1/admin/audit/head; the report, its HTML page and OSCAL export are byte-identical on re-run,
// and the same bytes come from the chain read out of the store itself (--data, --store).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, flkBin, post, startPostgres, startServer, tmp } from './server-harness.mjs';

const ADMIN = { Authorization: 'Bearer admin-secret' };
let dir, srv;

before(async () => {
  dir = tmp('flk-compliance-');
  const tenants = join(dir, 'tenants.json');
  writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'k1', key: { alg: 'hmac', key_text: 'first secret' } }] }] }));
  srv = await startServer({ data: dir, args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--log-level', 'warn'] });
});
after(async () => {
  await srv?.stop();
  cleanup(dir);
});

const report = (file, framework, extra = []) =>
  spawnSync(flkBin, ['compliance', 'report', file, '--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z',
    '--framework', framework, ...extra], { encoding: 'utf8' });

test('a report over the server\'s own chain: changes evidenced, chain anchored, same bytes on re-run', async () => {
  const put = await fetch(`${srv.url}/v1/admin/tenants/beta`, {
    method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ rate_per_sec: 5, burst: 10 }),
  });
  assert.ok(put.status < 300, await put.text());
  const add = await post(srv.url, '/v1/admin/tenants/acme/keys', { kid: 'k2', key: { alg: 'hmac', key_text: 'second secret' } }, ADMIN);
  assert.equal(add.status, 201, add.text);
  const retire = await post(srv.url, '/v1/admin/tenants/acme/keys/k1/retire', { overlap_seconds: 0 }, ADMIN);
  assert.equal(retire.status, 200, retire.text);

  const log = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
  const head = await (await fetch(`${srv.url}/v1/admin/audit/head`, { headers: ADMIN })).json();
  const file = join(dir, 'audit.jsonl');
  writeFileSync(file, log);
  const anchor = ['--head-seq', String(head.seq), '--head-hash', head.hash, '--config', 'dedup_ttl_s=1209600'];

  const out = (n) => join(dir, `soc2-${n}`);
  for (const n of [1, 2]) {
    const r = report(file, 'soc2', [...anchor, '--out', out(n)]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
  }
  for (const ext of ['.json', '.html', '.oscal.json'])
    assert.equal(readFileSync(out(1) + ext, 'utf8'), readFileSync(out(2) + ext, 'utf8'), `${ext} differs on re-run`);

  const rep = JSON.parse(readFileSync(out(1) + '.json', 'utf8'));
  const status = Object.fromEntries(rep.controls.map((c) => [c.id, c.status]));
  assert.equal(rep.chain.count, log.split('\n').filter(Boolean).length);
  assert.equal(rep.chain.head_hash, head.hash);
  assert.equal(status['audit.integrity'], 'evidenced');
  assert.equal(status['change.keys'], 'evidenced');
  assert.equal(status['change.tenants'], 'evidenced');
  assert.equal(status['retention.data'], 'partial');
  const keys = rep.controls.find((c) => c.id === 'change.keys').evidence;
  // k1 from the tenants file at start-up and k2 from the admin API; k1 retired.
  assert.deepEqual(keys.map((e) => [e.type, e.count]), [['key.added', 2], ['key.retired', 1]]);
  assert.match(readFileSync(out(1) + '.html', 'utf8'), /What this report cannot evidence/);
  const oscal = JSON.parse(readFileSync(out(1) + '.oscal.json', 'utf8'))['assessment-results'];
  assert.equal(oscal.results[0].findings.length, rep.controls.length);

  // ISO 27001 maps the same evidence to Annex A; a cut-off tail is caught against the head.
  const iso = report(file, 'iso27001', anchor);
  assert.equal(iso.status, 0);
  assert.equal(JSON.parse(iso.stdout).controls.find((c) => c.id === 'change.keys').references, 'A.8.24, A.8.32');
  writeFileSync(file, log.split('\n').filter(Boolean).slice(0, -1).join('\n') + '\n');
  const cut = report(file, 'soc2', anchor);
  assert.equal(cut.status, 3);
  assert.equal(JSON.parse(cut.stdout).controls.find((c) => c.id === 'audit.integrity').status, 'failed');
});

// Reports over an export and over the store it came from, with the same flags: the same bytes.
function sameReports(exportFile, storeFlags, out) {
  const anchor = ['--config', 'dedup_ttl_s=1209600'];
  const a = report(exportFile, 'soc2', [...anchor, '--out', `${out}-file`]);
  assert.equal(a.status, 0, a.stderr + a.stdout);
  const b = spawnSync(flkBin, ['compliance', 'report', ...storeFlags, '--from', '2000-01-01T00:00:00Z',
    '--to', '2100-01-01T00:00:00Z', '--framework', 'soc2', ...anchor, '--out', `${out}-store`], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr + b.stdout);
  for (const ext of ['.json', '.html', '.oscal.json'])
    assert.equal(readFileSync(`${out}-store${ext}`, 'utf8'), readFileSync(`${out}-file${ext}`, 'utf8'), ext);
  return JSON.parse(readFileSync(`${out}-store.json`, 'utf8'));
}

test('the report read from the store: SQLite once the server is stopped, PostgreSQL while it runs', async () => {
  const d = tmp('flk-compliance-store-');
  const pg = startPostgres();
  let sqlite, shared;
  try {
    sqlite = await startServer({ data: d, args: ['--admin-token', 'admin-secret', '--log-level', 'warn'] });
    for (const id of ['one', 'two', 'three']) {
      const res = await fetch(`${sqlite.url}/v1/admin/tenants/${id}`, {
        method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: '{"rate_per_sec": 3}' });
      assert.equal(res.status, 200);
    }
    const file = join(d, 'sqlite.jsonl');
    writeFileSync(file, await (await fetch(`${sqlite.url}/v1/admin/audit`, { headers: ADMIN })).text());
    const held = spawnSync(flkBin, ['compliance', 'report', '--data', d, '--from', '2000-01-01T00:00:00Z',
      '--to', '2100-01-01T00:00:00Z', '--framework', 'soc2'], { encoding: 'utf8' });
    assert.equal(held.status, 2);
    assert.equal(JSON.parse(held.stdout).error.code, 'store_busy');
    await sqlite.stop();
    assert.equal(sameReports(file, ['--data', d], join(d, 'sqlite')).chain.count, 3);

    const url = pg.database();
    shared = await startServer({ data: tmp('flk-compliance-pg-'), store: url, args: ['--admin-token', 'admin-secret', '--log-level', 'warn'] });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${shared.url}/v1/admin/tenants/pg-${i}`, {
        method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: '{"rate_per_sec": 2}' });
      assert.equal(res.status, 200);
    }
    const pgFile = join(d, 'pg.jsonl');
    writeFileSync(pgFile, await (await fetch(`${shared.url}/v1/admin/audit`, { headers: ADMIN })).text());
    assert.equal(sameReports(pgFile, ['--store', url], join(d, 'pg')).chain.count, 4);
    const both = spawnSync(flkBin, ['compliance', 'report', pgFile, '--store', url, '--from', '2000-01-01T00:00:00Z',
      '--to', '2100-01-01T00:00:00Z', '--framework', 'soc2'], { encoding: 'utf8' });
    assert.equal(both.status, 1, 'a file and a store at once are a usage error');
  } finally {
    await sqlite?.stop();
    await shared?.stop();
    pg.stop();
    cleanup(d);
  }
});
