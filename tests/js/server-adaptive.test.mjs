// The adaptive gate end to end on both stores: a tenant whose EnsemblePolicy has two arms - the
// default 2-of-3 vote of risk, grounding and micro_vote, and an arm whose only voter (the PCS recompute) has nothing to read
// without a PCS, so it escalates everything - answers labelled HaluEval QA requests; each first
// label rewards the arm that decided in the label's transaction, a replaced label does not count
// again, and after the labels the better arm decides most requests. Also: the signed decision
// names its arm, GET /v1/admin/tenants/{tenant}/adaptive shows the state and the voters'
// agreement, GET /v1/admin/tenants/{tenant}/labels/eval measures the stored risk scores against
// the labels, and flk_verify_arm_total counts the arms.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bothStores, cleanup, post, startServer, tmp } from './server-harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const qa = `${shared}/data/halueval_qa.jsonl`;
const SECRET = 'adaptive-test-secret';
const ADMIN = { Authorization: 'Bearer admin-secret' };
const sign = (text) => createHmac('sha256', SECRET).update(text).digest('base64');
const POLICY = {
  adaptive: {
    arms: [{ name: 'vote', voters: ['risk', 'grounding', 'micro_vote'], n: 2 }, { name: 'escalate_all', voters: ['pcs_recompute'], n: 1 }],
  },
};
// Offline, on the first 200 rows: the vote arm's decision is right for 94.5 % of them, the
// escalating arm's for 54.5 % (the hallucinated ones).
const rows = existsSync(qa) ? readFileSync(qa, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
const LEARN = 40;
const AFTER = 40;

const stores = bothStores();

for (const kind of stores.kinds) {
  describe(`adaptive EnsemblePolicy on ${kind}`, { skip: rows.length ? false : 'no shared data' }, () => {
    let dir, srv;
    const send = (path, body, tenant = 'acme') => {
      const text = JSON.stringify(body);
      return post(srv.url, path, text, { 'X-Tenant-Id': tenant, 'X-Flk-Signature': sign(text) });
    };
    const verify = (r) => send('/v1/verify', { question: r.question, context: r.context, answer: r.answer, task: r.task });
    const label = (id, hallucinated, source) =>
      send('/v1/labels', { verification_id: id, label: hallucinated ? 'hallucinated' : 'faithful', ...(source ? { source } : {}) });
    const state = async () => (await fetch(`${srv.url}/v1/admin/tenants/acme/adaptive`, { headers: ADMIN })).json();

    before(async () => {
      dir = tmp('flk-adaptive-');
      writeFileSync(join(dir, 'tenants.json'), JSON.stringify({
        tenants: ['acme', 'beta'].map((id) => ({ id, keys: [{ kid: 'k', key: { alg: 'hmac', key_text: SECRET } }] })),
      }));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({
        'admin-token': 'admin-secret', verify: { tenants: { acme: { policy: POLICY } } },
      }));
      srv = await startServer({ data: dir, store: stores.database(kind),
        args: ['--config', join(dir, 'config.json'), '--tenants-file', join(dir, 'tenants.json'), '--log-level', 'error',
          '--rate-limit', '100000'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });

    test('an EnsemblePolicy document with spec.adaptive is validated and runs per request', async () => {
      const put = (spec) => fetch(`${srv.url}/v1/admin/tenants/beta/policies`, {
        method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ actor: 'alice', reason: 'adaptive', policy: {
          apiVersion: 'flk.dev/policy/v1', kind: 'EnsemblePolicy', metadata: { name: 'beta-adaptive', version: 1 }, spec } }),
      });
      const bad = await put({ adaptive: { arms: [{ name: 'a', n: 99 }] } });
      assert.equal(bad.status, 422);
      assert.equal((await bad.json()).error.path, '$.policy.spec.adaptive.arms[0].n');
      assert.equal((await put(POLICY)).status, 201);
      const d = await send('/v1/verify', { question: rows[0].question, context: rows[0].context, answer: rows[0].answer }, 'beta');
      assert.ok(['vote', 'escalate_all'].includes(d.json.decision.adaptive.arm), d.text);
      assert.deepEqual(d.json.policies.map((p) => p.kind), ['EnsemblePolicy']);
      const l = await send('/v1/labels', { verification_id: d.json.verification_id, label: 'faithful' }, 'beta');
      assert.equal(l.json.bandit.arm, d.json.decision.adaptive.arm);
      const s = await (await fetch(`${srv.url}/v1/admin/tenants/beta/adaptive`, { headers: ADMIN })).json();
      assert.deepEqual(s.bandits.map((b) => b.policy), [d.json.bandit.policy]);
    });

    test('labels reward the arm that decided; the better arm then decides most requests', async () => {
      const first = [];
      for (const r of rows.slice(0, LEARN)) {
        const d = await verify(r);
        assert.ok([200, 202, 409].includes(d.status), d.text);
        const arm = d.json.decision.adaptive.arm;
        assert.ok(['vote', 'escalate_all'].includes(arm));
        assert.match(d.json.bandit.policy, /^[0-9a-f]{16}$/);
        first.push(arm);
        const l = await label(d.json.verification_id, r.label === 1);
        assert.equal(l.status, 200, l.text);
        assert.equal(l.json.bandit.arm, arm);
      }
      const s = await state();
      assert.equal(s.bandits.length, 1);
      const arms = s.bandits[0].state.arms;
      assert.equal(Object.values(arms).reduce((n, a) => n + a.pulls, 0), LEARN);
      assert.ok(arms.escalate_all.pulls >= 1, 'the weaker arm was tried');

      // A replaced label (same source) does not reward again; another source does.
      const again = await verify(rows[LEARN + AFTER]);
      await label(again.json.verification_id, true);
      const replaced = await label(again.json.verification_id, false);
      assert.equal(replaced.status, 200);
      assert.equal(replaced.json.bandit, undefined);
      const other = await label(again.json.verification_id, true, 'downstream');
      assert.equal(other.json.bandit.arm, again.json.decision.adaptive.arm);
      const pulls = Object.values((await state()).bandits[0].state.arms).reduce((n, a) => n + a.pulls, 0);
      assert.equal(pulls, LEARN + 2);

      let vote = 0;
      for (const r of rows.slice(LEARN, LEARN + AFTER)) {
        const d = await verify(r);
        vote += d.json.decision.adaptive.arm === 'vote';
      }
      const early = first.slice(0, 10).filter((a) => a === 'vote').length;
      console.log(`${kind}: vote arm chosen ${early} of the first 10, ${vote} of ${AFTER} after ${LEARN} labels; posteriors ${JSON.stringify(arms)}`);
      assert.ok(vote / AFTER >= 0.8, `vote arm chose ${vote} of ${AFTER} after the labels (${early} of the first 10)`);

      // The labels feed hrs.eval_scores: the risk voter's stored probability against each label
      // (the escalate_all arm runs no risk voter: those decisions are unscored).
      const evalOf = async (q) => fetch(`${srv.url}/v1/admin/tenants/acme/labels/eval${q}`, { headers: ADMIN });
      const ev = await (await evalOf('')).json();
      assert.equal(ev.labelled, LEARN + 2);
      const unscored = arms.escalate_all.pulls + (again.json.decision.adaptive.arm === 'escalate_all' ? 2 : 0);
      assert.equal(ev.unscored, unscored);
      assert.equal(ev.eval.rows, LEARN + 2 - unscored);
      assert.equal(ev.eval.model_id, again.json.decision.model_id);
      assert.ok(ev.eval.auroc.auroc > 0.8, JSON.stringify(ev.eval.auroc));
      assert.ok(ev.eval.logit_drift.rows === ev.eval.rows);
      console.log(`${kind}: labels/eval ${JSON.stringify({ rows: ev.eval.rows, auroc: ev.eval.auroc, logit_drift: ev.eval.logit_drift })}`);
      assert.equal((await (await evalOf('?limit=5')).json()).labelled, 5);
      assert.equal((await (await evalOf('?source=downstream')).json()).labelled, 1);
      for (const bad of ['0', '%2B5', '5x']) {
        const r = await evalOf(`?limit=${bad}`);
        assert.equal(r.status, 422);
        assert.equal((await r.json()).error.path, 'limit');
      }
      assert.equal((await fetch(`${srv.url}/v1/admin/tenants/acme/labels/eval`)).status, 401);

      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      assert.match(metrics, /flk_verify_arm_total\{tenant="acme",arm="vote"\} \d+/);
      const agreement = (await state()).agreement;
      const pairs = Object.fromEntries(agreement.pairs.map((p) => [`${p.a}|${p.b}`, p]));
      assert.ok(pairs['grounding|risk'].both > 0, JSON.stringify(agreement));
      assert.ok(agreement.agreement_ratio > 0 && agreement.agreement_ratio <= 1);
    });
  });
}
