// PII by tenant policy on POST /v1/hrs/score, end to end: detect reports findings (offsets and
// types, never values) in the answer and the audit chain; block answers 422 pii_found with the
// types; redact rewrites the texts before scoring, so the score is the one of the redacted text;
// and neither the audit export, the compliance report over it, nor what the SIEM receiver gets
// holds any of the raw values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, flkBin, post, startServer, tmp } from './server-harness.mjs';
import { startReceiver } from './support/siem-receiver.mjs';

const SECRET = 'pii-test-secret';
const ADMIN = { Authorization: 'Bearer admin-secret' };
const RAW = ['jane.doe@example.com', '415-555-2671', '4111 1111 1111 1111'];
const INPUT = {
  question: 'How do I reach Jane? My card is 4111 1111 1111 1111.',
  context: 'Jane Doe can be reached at jane.doe@example.com.',
  answer: 'Mail jane.doe@example.com or call +1 415-555-2671.',
};
const CLEAN = { question: 'When was the tower finished?', context: 'It was finished in 1889.', answer: 'In 1889.' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const call = (op, input) => {
  const r = spawnSync(flkBin, ['call', op], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout);
};
const score = (tenant, body) => {
  const text = JSON.stringify(body);
  const headers = tenant ? { 'X-Tenant-Id': tenant, 'X-Flk-Signature': createHmac('sha256', SECRET).update(text).digest('base64') } : {};
  return post(srv.url, '/v1/hrs/score', text, headers);
};
// The input with its three texts redacted as a policy with these options would.
const redacted = (options) => Object.fromEntries(Object.entries(INPUT).map(([k, v]) => [k, call('pii.redact', { ...options, text: v }).text]));

let dir, srv, rcv, keyB64;
before(async () => {
  dir = tmp('flk-pii-');
  keyB64 = randomBytes(32).toString('base64');
  writeFileSync(join(dir, 'pii.key'), JSON.stringify({ alg: 'hmac', key_b64: keyB64 }));
  const tenants = ['blocker', 'masker', 'pseudo', 'quiet', 'cards'].map((id) => ({ id, keys: [{ kid: 'k', key: { alg: 'hmac', key_text: SECRET } }] }));
  writeFileSync(join(dir, 'tenants.json'), JSON.stringify({ tenants }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    'admin-token': 'admin-secret',
    pii: {
      default: { action: 'detect' },
      tenants: {
        blocker: { action: 'block' },
        masker: { action: 'redact', mode: 'tag' },
        pseudo: { action: 'redact', mode: 'pseudonym', key_file: join(dir, 'pii.key') },
        quiet: { action: 'off' },
        cards: { action: 'block', types: ['payment_card'] },
      },
    },
  }));
  rcv = await startReceiver();
  srv = await startServer({ data: dir, args: ['--config', join(dir, 'config.json'), '--tenants-file', join(dir, 'tenants.json'),
    '--log-level', 'error', '--siem-url', rcv.url(), '--siem-interval-ms', '50'] });
});
after(async () => {
  await srv?.stop();
  await rcv?.close();
  cleanup(dir);
});

describe('PII policy on /v1/hrs/score', () => {
  test('detect (the default): findings without values in the answer; the score is of the text as sent', async () => {
    const res = await score('', INPUT);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.probability, call('hrs.score', INPUT).probability);
    const pii = res.json.pii;
    assert.equal(pii.action, 'detect');
    assert.deepEqual(pii.counts, { email: 2, payment_card: 1, phone: 1 });
    assert.deepEqual(pii.fields.answer.map((f) => f.type), ['email', 'phone']);
    const f = pii.fields.answer[0];
    assert.equal(INPUT.answer.slice(f.start, f.end), 'jane.doe@example.com');
    for (const v of RAW) assert.ok(!res.text.includes(v), v);
  });

  test('block: 422 pii_found with the types; a clean text passes', async () => {
    const res = await score('blocker', INPUT);
    assert.equal(res.status, 422);
    assert.equal(res.json.error.code, 'pii_found');
    assert.equal(res.json.error.path, '$.question');
    assert.deepEqual(res.json.error.types, ['email', 'payment_card', 'phone']);
    for (const v of RAW) assert.ok(!res.text.includes(v), v);
    const clean = await score('blocker', CLEAN);
    assert.equal(clean.status, 200);
    assert.deepEqual(clean.json.pii, { action: 'block', counts: {}, fields: {} });
    // A policy limited to cards lets the e-mail through.
    const mail = { answer: 'Write to jane.doe@example.com.' };
    assert.equal((await score('cards', mail)).status, 200);
    assert.equal((await score('cards', { answer: 'Card 4111 1111 1111 1111.' })).json.error.types[0], 'payment_card');
  });

  test('redact: the score is the one of the redacted texts (tag and pseudonym)', async () => {
    const tag = await score('masker', INPUT);
    assert.equal(tag.status, 200, tag.text);
    assert.equal(tag.json.pii.action, 'redact');
    assert.deepEqual(tag.json.pii.counts, { email: 2, payment_card: 1, phone: 1 });
    const tagged = redacted({ mode: 'tag' });
    assert.match(tagged.answer, /^Mail \[EMAIL\] or call \[PHONE\]\.$/);
    assert.equal(tag.json.probability, call('hrs.score', tagged).probability);
    assert.notEqual(tag.json.probability, call('hrs.score', INPUT).probability);
    const pseudo = await score('pseudo', INPUT);
    assert.equal(pseudo.status, 200);
    assert.equal(pseudo.json.probability, call('hrs.score', redacted({ mode: 'pseudonym', key_b64: keyB64 })).probability);
  });

  test('off: no screening, no pii key, no audit entry', async () => {
    const res = await score('quiet', INPUT);
    assert.equal(res.status, 200);
    assert.equal(res.json.pii, undefined);
  });

  test('the audit chain and the SIEM receiver hold the findings and none of the values', async () => {
    const head = await (await fetch(`${srv.url}/v1/admin/audit/head`, { headers: ADMIN })).json();
    const text = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
    const entries = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const pii = entries.filter((e) => e.type.startsWith('pii.'));
    assert.deepEqual(pii.map((e) => [e.type, e.tenant]), [
      ['pii.detected', 'anonymous'], ['pii.blocked', 'blocker'], ['pii.blocked', 'cards'],
      ['pii.redacted', 'masker'], ['pii.redacted', 'pseudo']]);
    assert.deepEqual(pii[0].data.counts, { email: 2, payment_card: 1, phone: 1 });
    assert.deepEqual(pii[0].data.fields, { answer: { email: 1, phone: 1 }, context: { email: 1 }, question: { payment_card: 1 } });
    assert.deepEqual(pii[1].data, { action: 'block', counts: { email: 2, payment_card: 1, phone: 1 },
      fields: { answer: { email: 1, phone: 1 }, context: { email: 1 }, question: { payment_card: 1 } }, route: '/v1/hrs/score' });
    assert.equal(pii[0].data.route, '/v1/hrs/score');
    for (const v of RAW) assert.ok(!text.includes(v), `audit export holds ${v}`);

    // The compliance report over this chain maps the screening to its control, counts and all.
    const file = join(dir, 'audit.jsonl');
    writeFileSync(file, text);
    const r = spawnSync(flkBin, ['compliance', 'report', file, '--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z',
      '--framework', 'iso27001', '--head-seq', String(head.seq), '--head-hash', head.hash], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const control = JSON.parse(r.stdout).controls.find((c) => c.id === 'privacy.pii');
    assert.equal(control.status, 'partial');
    assert.equal(control.references, 'A.5.34, A.8.11, A.8.12');
    assert.deepEqual(control.evidence.map((e) => [e.type, e.count]), [['pii.detected', 1], ['pii.redacted', 2], ['pii.blocked', 2]]);
    for (const v of RAW) assert.ok(!r.stdout.includes(v), `compliance report holds ${v}`);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /^flk_pii_findings_total\{tenant="blocker",type="email",action="block"\} 2$/m);
    assert.match(metrics, /^flk_pii_findings_total\{tenant="cards",type="payment_card",action="block"\} 1$/m);
    assert.match(metrics, /^flk_pii_findings_total\{tenant="pseudo",type="phone",action="redact"\} 1$/m);
    for (let i = 0; i < 200 && !rcv.acked().some((e) => e.data.seq === head.seq); i++) await sleep(50);
    const delivered = rcv.requests.filter((q) => q.status === 200).map((q) => q.body).join('\n');
    assert.equal(rcv.acked().length, head.seq);
    assert.ok(delivered.includes('pii.redacted'));
    for (const v of RAW) assert.ok(!delivered.includes(v), `SIEM delivery holds ${v}`);
  });
});

describe('PII policy settings', () => {
  test('a bad policy stops the start', async () => {
    for (const [pii, msg] of [
      [{ default: { action: 'scan' } }, /action must be off, detect, block or redact/],
      [{ tenants: { a: { action: 'redact', mode: 'pseudonym' } } }, /pseudonym needs/],
      [{ default: { action: 'detect', types: ['name'] } }, /unknown PII type/],
      [{ default: { action: 'detect', mode: 'tag' } }, /mode.. is not a setting of a detect policy/],
      [{ default: { action: 'redact', key_file: '/nonexistent/key' } }, /cannot read/],
      [{ fallback: {} }, /fallback.. is not a setting/],
    ]) {
      const d = tmp('flk-pii-bad-');
      writeFileSync(join(d, 'config.json'), JSON.stringify({ pii }));
      await assert.rejects(startServer({ data: d, args: ['--config', join(d, 'config.json')] }), msg);
      cleanup(d);
    }
  });
});
