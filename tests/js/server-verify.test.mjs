// The verification gate end to end on both stores: POST /v1/verify answers gate.decide's one
// decision (200 accept, 202 escalate, 409 reject) signed with the server's Ed25519 key (created
// 0600 on first start, served by GET /v1/verify/key, checked by gate.check_decision), stores it
// (GET /v1/verify/{id}) and audits it with the votes' hash, a disagreement audit event, failure
// modes of the tenant's policy through the route, the tenant's budget as the last step, POST
// /v1/labels with agreement statistics, flk_verify_* metrics, PII by policy, and typed errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bothStores, cleanup, flkBin, post, startServer, tmp } from './server-harness.mjs';

const SECRET = 'verify-test-secret';
const ADMIN = { Authorization: 'Bearer admin-secret' };
const context = 'The Eiffel Tower was finished in March 1889 for the World Fair. It is 330 metres tall.';
const WRONG = { question: 'When was the tower finished?', context, answer: 'The tower was finished in 1899.' };
const RIGHT = { question: WRONG.question, context, answer: 'It was finished in March 1889 for the World Fair.' };
const TENANTS = ['acme', 'closed', 'open', 'degrade', 'lean', 'blocker', 'masker', 'review'];

const call = (op, input) => {
  const r = spawnSync(flkBin, ['call', op], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(r.stdout);
};
const sign = (text) => createHmac('sha256', SECRET).update(text).digest('base64');

const stores = bothStores();

for (const kind of stores.kinds) {
  describe(`POST /v1/verify on ${kind}`, () => {
    let dir, srv;
    const send = (path, tenant, body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return post(srv.url, path, text, { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(text) });
    };
    const verify = (tenant, body) => send('/v1/verify', tenant, body);
    const audit = async () => (await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text())
      .trim().split('\n').map((l) => JSON.parse(l));

    before(async () => {
      dir = tmp('flk-verify-');
      writeFileSync(join(dir, 'tenants.json'), JSON.stringify({
        tenants: TENANTS.map((id) => ({ id, keys: [{ kid: 'k', key: { alg: 'hmac', key_text: SECRET } }] })),
      }));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({
        'admin-token': 'admin-secret',
        verify: {
          tenants: {
            closed: { policy: { inject: { grounding: 'timeout' }, on_timeout: 'fail_closed' } },
            open: { policy: { inject: { grounding: 'timeout' }, on_timeout: 'fail_open' } },
            degrade: { policy: { inject: { grounding: 'error' }, on_error: 'degrade' } },
            lean: { on_exceeded: 'escalate' },
            // No band rejects: what the ensemble decides is the answer, whatever the calibrated risk.
            review: { bands: [{ name: 'low', min_risk: 0, max_risk: 0.5, action: 'accept' },
              { name: 'high', min_risk: 0.5, max_risk: 1, action: 'human_review' }] },
          },
        },
        pii: { tenants: { blocker: { action: 'block' }, masker: { action: 'redact', mode: 'tag' } } },
      }));
      srv = await startServer({ data: dir, store: stores.database(kind),
        args: ['--config', join(dir, 'config.json'), '--tenants-file', join(dir, 'tenants.json'), '--log-level', 'error',
          '--rate-limit', '100000'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('accept 200 and reject 409, signed with the server key and checkable later', async () => {
      const st = statSync(join(dir, 'verify-signing.key'));
      assert.equal(st.mode & 0o777, 0o600);
      const key = await (await fetch(`${srv.url}/v1/verify/key`)).json();
      assert.equal(key.alg, 'ed25519');
      const ok = await verify('acme', { ...RIGHT, usage: { model: 'gpt-4o', cost_usd: 0.001 } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.decision.action, 'accept');
      assert.match(ok.json.verification_id, /^ver_[0-9a-f]{32}$/);
      assert.equal(ok.json.tenant, 'acme');
      assert.equal(ok.json.signature.key_id, key.key_id);
      const checked = call('gate.check_decision', { decision: ok.json, public_key_b64: key.public_key_b64 });
      assert.deepEqual([checked.valid, checked.verification_id], [true, ok.json.verification_id]);
      const forged = call('gate.check_decision', { decision: { ...ok.json, decision: { ...ok.json.decision, action: 'reject' } }, public_key_b64: key.public_key_b64 });
      assert.equal(forged.result, 'bad_signature');
      // The core's answer for the same request is the signed decision's.
      assert.deepEqual(ok.json.decision, call('gate.decide', { ...RIGHT, usage: { model: 'gpt-4o', cost_usd: 0.001 } }));

      const bad = await verify('acme', WRONG);
      assert.equal(bad.status, 409, bad.text);
      assert.equal(bad.json.decision.action, 'reject');

      // The stored decision is the signed one, readable by its tenant only.
      const ts = Date.now();
      const path = `/v1/verify/${ok.json.verification_id}`;
      const get = (tenant) => fetch(`${srv.url}${path}?ts=${ts}`, { headers: { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(`GET ${path}?ts=${ts}`) } });
      const stored = await get('acme');
      assert.equal(stored.status, 200);
      assert.deepEqual(await stored.json(), ok.json);
      assert.equal((await get('open')).status, 404);

      const entries = await audit();
      const decided = entries.filter((e) => e.type === 'verify.decided' && e.data.verification_id === ok.json.verification_id);
      assert.equal(decided.length, 1);
      assert.equal(decided[0].data.votes_sha256, ok.json.decision.votes_sha256);
      assert.equal(decided[0].data.action, 'accept');
      const head = await (await fetch(`${srv.url}/v1/admin/audit/head`, { headers: ADMIN })).json();
      const jsonl = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
      const chain = call('audit.verify', { jsonl, head_seq: head.seq, head_hash: head.hash });
      assert.equal(chain.valid, true, JSON.stringify(chain.problem));
    });

    test('a voter disagreement escalates (202) and emits an audit event', async () => {
      // A wrong year in an otherwise supported sentence: the risk voter flags it, grounding
      // (sentence support) passes it, micro_vote is unsure: no 2-of-3 majority. The tenant's bands
      // never reject, so the routing step (band critical rejects at 0.9) does not decide first.
      const split = await verify('review', { ...RIGHT, answer: 'It was finished in 1899 for the World Fair.' });
      assert.equal(split.status, 202, split.text);
      assert.deepEqual(split.json.decision.ensemble.votes.map((v) => v.vote), ['flag', 'pass', 'unsure']);
      const events = (await audit()).filter((e) => e.type === 'verify.disagreement' && e.data.verification_id === split.json.verification_id);
      assert.equal(events.length, 1);
      assert.ok(events[0].data.passed.length > 0 && events[0].data.flagged.length > 0);
    });

    test('failure modes of the tenant policy hold through the route', async () => {
      const closed = await verify('closed', RIGHT);
      assert.equal(closed.status, 409, 'fail_closed never fails open');
      assert.match(closed.json.decision.ensemble.reason, /^fail_closed/);
      const open = await verify('open', RIGHT);
      assert.equal(open.status, 200);
      assert.equal(open.json.decision.ensemble.degraded, true);
      const degraded = await verify('degrade', RIGHT);
      assert.notEqual(degraded.status, 409);
      assert.deepEqual(degraded.json.decision.ensemble.failures, [{ voter: 'grounding', status: 'error', mode: 'degrade' }]);
    });

    test('the budget is the last step: over the cap rejects, or escalates by the tenant config', async () => {
      for (const id of ['acme', 'lean']) {
        const put = await fetch(`${srv.url}/v1/admin/tenants/${id}`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
          body: JSON.stringify({ budget: { cap_usd: '0.01', window: 'monthly' } }) });
        assert.equal(put.status, 200, await put.text());
      }
      const within = await verify('acme', { ...RIGHT, usage: { cost_usd: 0.001 } });
      assert.equal(within.status, 200, within.text);
      assert.equal(within.json.decision.budget.exceeded, false);
      const over = await verify('acme', { ...RIGHT, usage: { cost_usd: 0.5 } });
      assert.equal(over.status, 409);
      assert.deepEqual(over.json.decision.steps.map((s) => [s.step, s.action]), [['ensemble', 'accept'], ['routing', 'accept'], ['budget', 'reject']]);
      const lean = await verify('lean', { ...RIGHT, usage: { cost_usd: 0.5 } });
      assert.equal(lean.status, 202);
    });

    test('labels attach to a verification and feed the agreement statistics', async () => {
      const a = await verify('open', RIGHT);
      const r = await verify('open', WRONG);
      const l1 = await send('/v1/labels', 'open', { verification_id: a.json.verification_id, label: 'faithful' });
      assert.equal(l1.status, 200, l1.text);
      const l2 = await send('/v1/labels', 'open', { verification_id: r.json.verification_id, label: 'faithful', source: 'downstream', note: 'user accepted' });
      assert.equal(l2.json.agreement.labelled, 2);
      assert.equal(l2.json.agreement.agreed, 1);
      assert.equal(l2.json.agreement.ratio, 0.5);
      const again = await send('/v1/labels', 'open', { verification_id: r.json.verification_id, label: 'hallucinated', source: 'downstream' });
      assert.equal(again.json.agreement.ratio, 1, 'a source\'s second label replaces its first');
      const unknown = await send('/v1/labels', 'open', { verification_id: 'ver_nope', label: 'faithful' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'unknown_verification');
      const foreign = await send('/v1/labels', 'acme', { verification_id: a.json.verification_id, label: 'faithful' });
      assert.equal(foreign.status, 404, 'another tenant\'s verification is unknown');
      const badLabel = await send('/v1/labels', 'open', { verification_id: a.json.verification_id, label: 'maybe' });
      assert.deepEqual([badLabel.status, badLabel.json.error.path], [422, '$.label']);
      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(metrics, /flk_verify_label_agreement_ratio\{tenant="open"\} 1\n/);
      assert.match(metrics, /flk_verify_decisions_total\{tenant="acme",action="accept"\} \d+/);
      assert.match(metrics, /flk_verify_voter_status_total\{voter="grounding",status="timeout"\} \d+/);
      assert.match(metrics, /flk_verify_voter_latency_seconds_bucket\{voter="risk",le="[^"]+"\} \d+/);
      assert.match(metrics, /flk_verify_disagreements_total\{tenant="review"\} \d+/);
    });

    test('PII: block answers 422 with the types; redact stores and audits no raw value', async () => {
      const raw = 'jane.doe@example.com';
      const pii = { ...RIGHT, question: `Mail ${raw} when was the tower finished?` };
      const blocked = await verify('blocker', pii);
      assert.equal(blocked.status, 422);
      assert.equal(blocked.json.error.code, 'pii_found');
      const masked = await verify('masker', pii);
      assert.equal(masked.status, 200, masked.text);
      assert.ok(!masked.text.includes(raw));
      const ts = Date.now();
      const path = `/v1/verify/${masked.json.verification_id}`;
      const stored = await (await fetch(`${srv.url}${path}?ts=${ts}`, { headers: { 'X-Tenant-Id': 'masker', 'X-Flk-Signature': sign(`GET ${path}?ts=${ts}`) } })).text();
      assert.ok(!stored.includes(raw));
      const text = await (await fetch(`${srv.url}/v1/admin/audit`, { headers: ADMIN })).text();
      assert.ok(!text.includes(raw));
      assert.ok(text.includes('"pii.redacted"'));
    });

    test('typed errors with paths: unknown fields, the caller\'s own policy, oversize, bad citations, no signature', async () => {
      const cases = [
        [{ ...RIGHT, answr: 'x' }, 'unknown_field', '$.answr'],
        [{ ...RIGHT, policy: { n: 1 } }, 'unknown_field', '$.policy'],
        [{ ...RIGHT, budget: { cap_usd: 1, spent_usd: 0 } }, 'unknown_field', '$.budget'],
        [{ ...RIGHT, usage: { tokens: 3 } }, 'unknown_field', '$.usage.tokens'],
        [{ answer: 'a'.repeat(65537) }, 'too_large', '$.answer'],
        [{ ...RIGHT, samples: Array(21).fill('s') }, 'too_large', '$.samples'],
        [{ ...RIGHT, citations: [{ answer: [0, 10], source: [500, 600] }] }, 'out_of_range', '$.citations[0].source'],
        [{ question: 'x' }, 'missing_field', '$.answer'],
      ];
      for (const [body, code, path] of cases) {
        const r = await verify('acme', body);
        assert.equal(r.status, 422, `${path}: ${r.text}`);
        assert.deepEqual([r.json.error.code, r.json.error.path], [code, path]);
      }
      const unsigned = await post(srv.url, '/v1/verify', JSON.stringify(RIGHT), { 'X-Tenant-Id': 'acme' });
      assert.equal(unsigned.status, 401);
    });
  });
}

test('the start refuses a signing key others can read and a gate config gate.decide refuses', async () => {
  const dir = tmp('flk-verify-bad-');
  try {
    const key = join(dir, 'open.key');
    writeFileSync(key, JSON.stringify({ alg: 'ed25519', seed_b64: Buffer.alloc(32, 7).toString('base64') }), { mode: 0o644 });
    await assert.rejects(startServer({ data: dir, args: ['--signing-key', key, '--log-level', 'error'] }), /readable by others/);
    await assert.rejects(startServer({ data: dir, args: ['--verify', '{"tenants":{"acme":{"policy":{"n":99}}}}', '--log-level', 'error'] }),
      /verify\.tenants\.acme: \$\.policy\.n/);
    await assert.rejects(startServer({ data: dir, args: ['--verify', '{"default":{"voters":["risk"]}}', '--log-level', 'error'] }),
      /unknown field verify\.default\.voters/);
  } finally {
    cleanup(dir);
  }
});
