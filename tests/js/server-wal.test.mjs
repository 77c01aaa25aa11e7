// flk-server's WAL under faults, end to end: a byte corrupted in the middle of a segment that
// holds acknowledged records not yet in the store (the records after it are still replayed,
// the damage is reported and the segment kept in quarantine/), and a PostgreSQL restart under
// load (nothing acknowledged is lost; what failed was answered 503 with Retry-After).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { cleanup, pcsFactory, post, startPostgres, startServer, tmp } from './server-harness.mjs';

const HMAC = { alg: 'hmac', key_text: 'testsecret' };
const ARGS = ['--tenants', 'default:hmac:testsecret', '--rate-limit', '1000000', '--log-level', 'error'];

// One WAL record (server/wal/record.h) of a PCS submission.
function walRecord(seq, receivedMs, tenant, body) {
  const t = Buffer.from(tenant);
  const b = Buffer.from(body);
  const payload = Buffer.alloc(1 + 8 + 2 + t.length + 2 + b.length);
  payload.writeUInt8(1, 0);
  payload.writeBigInt64LE(BigInt(receivedMs), 1);
  payload.writeUInt16LE(t.length, 9);
  t.copy(payload, 11);
  payload.writeUInt16LE(0, 11 + t.length);
  b.copy(payload, 13 + t.length);
  const head = Buffer.alloc(20);
  head.writeUInt32LE(0x574b4c46, 0);
  head.writeUInt32LE(payload.length, 4);
  head.writeBigUInt64LE(BigInt(seq), 12);
  head.writeUInt32LE(crc32(Buffer.concat([head.subarray(12), payload])) >>> 0, 8);
  return Buffer.concat([head, payload]);
}

const metric = (text, name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

let pcs;
before(async () => {
  pcs = await pcsFactory();
});

describe('flk-server WAL faults', () => {
  test('a corrupt byte mid-segment: the records after it are replayed, the damage reported, the segment kept', async () => {
    const dir = tmp('flk-walcorrupt-');
    try {
      // A first start registers the tenant and its key; the store then holds no verdict.
      let s = await startServer({ data: dir, args: ARGS });
      await s.stop();
      // A segment as a crash would leave it: six acknowledged submissions the store never got.
      const docs = Array.from({ length: 6 }, (_, i) => pcs.make(70000 + i, HMAC));
      const records = docs.map((d, i) => walRecord(i + 1, Date.now(), 'default', JSON.stringify(d)));
      const segment = Buffer.alloc(1 << 20);
      let at = 0;
      const offsets = records.map((r) => {
        r.copy(segment, at);
        at += r.length;
        return at - r.length;
      });
      segment[offsets[2] + 40] ^= 0x20;  // inside the third record's body
      const name = 'wal-0000000000000007.log';
      writeFileSync(join(dir, 'wal', name), segment);

      s = await startServer({ data: dir, args: ARGS });
      try {
        const ready = await (await fetch(`${s.url}/readyz`)).json();
        assert.equal(ready.status, 'ready');
        assert.equal(ready.notices.length, 1, JSON.stringify(ready));
        assert.match(ready.notices[0], new RegExp(`^wal_damage: .*${name} at byte ${offsets[2]}: ${offsets[3] - offsets[2]} bytes skipped, the records after them recovered`));
        const m = await (await fetch(`${s.url}/metrics`)).text();
        assert.equal(metric(m, 'flk_wal_damaged_total'), 1);
        assert.equal(metric(m, 'flk_wal_replayed_total'), 5);
        assert.match(s.log(), /"msg":"WAL damage found"/);
        assert.ok(existsSync(join(dir, 'wal', 'quarantine', name)), 'the damaged segment is kept');
        assert.ok(!existsSync(join(dir, 'wal', name)), 'and not replayed again');
        for (const [i, d] of docs.entries()) {
          const r = await post(s.url, '/v1/pcs/submit', d);
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.duplicate, i !== 2, `record ${i + 1}: ${i === 2 ? 'lost to the damage' : 'replayed'}`);
        }
      } finally {
        await s.stop();
      }
    } finally {
      cleanup(dir);
    }
  });

  describe('on PostgreSQL', () => {
    let pg;
    before(() => {
      pg = startPostgres();
    });
    after(() => pg?.stop());

    test('a PostgreSQL restart under load: every acknowledged submission is stored, the others told to retry', async () => {
      const dir = tmp('flk-pgrestart-');
      const url = pg.database();
      let s = await startServer({ data: dir, store: url, args: ARGS });
      try {
        const docs = Array.from({ length: 1500 }, (_, i) => pcs.make(80000 + i, HMAC));
        const acked = new Map();
        const codes = new Map();
        let next = 0;
        let restarted;
        const worker = async () => {
          while (next < docs.length) {
            const d = docs[next++];
            const r = await post(s.url, '/v1/pcs/submit', d);
            codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
            if (r.status === 200 || r.status === 202) acked.set(d.pcs_id, r.text);
            else if (r.status === 503) {
              assert.equal(r.json.error.code, 'store_unavailable');
              assert.equal(r.headers.get('retry-after'), '1');
            } else {
              // A write tried just as the database came back can be refused with the server up.
              assert.equal(r.json?.error?.code, 'store_error', `${r.status} ${r.text}`);
            }
            if (!restarted && acked.size >= 300) restarted = pg.restart();
          }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
        await restarted;
        assert.ok(acked.size >= 300, JSON.stringify([...codes]));
        // Every acknowledged one is there with its first answer.
        for (const d of docs.filter((x) => acked.has(x.pcs_id))) {
          const r = await post(s.url, '/v1/pcs/submit', d);
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.duplicate, true, d.pcs_id);
          assert.deepEqual({ ...r.json, duplicate: false }, JSON.parse(acked.get(d.pcs_id)));
        }
        const m = await (await fetch(`${s.url}/metrics`)).text();
        assert.equal(metric(m, 'flk_store_unavailable_total'), codes.get(503) ?? 0);
      } finally {
        await s.stop();
        cleanup(dir);
      }
    });
  });
});
