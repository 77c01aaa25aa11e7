// End to end on both stores: usage events attributed to a task, a user, labels and a
// verification id (each checked, with the failing field's path), and GET /v1/cost/report grouped
// by those in SQL, compared with the same grouping summed here from independently priced events;
// cost per trusted task from the events whose verification POST /v1/verify accepted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bothStores, cleanup, isoDay as day, pcsFactory, post, startServer, tmp, usdNanos as nanos } from './server-harness.mjs';

const KEY = { alg: 'hmac', key_text: 'acme-secret' };
const ADMIN = { Authorization: 'Bearer admin-secret' };
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet-20241022'];

// 60 events over 3 models, 4 tasks, 3 users and a team label on two thirds of them.
const EVENTS = Array.from({ length: 60 }, (_, i) => {
  const e = { event_id: `e${i}`, model: MODELS[i % 3], usage: { prompt_tokens: 1000 + 37 * i, completion_tokens: 11 * i },
    task: `task-${i % 4}`, user: `user${i % 3}@example.com` };
  if (i % 3) e.labels = { team: i % 2 ? 'red' : 'blue', env: 'prod' };
  return e;
});

const stores = bothStores();
let flk;
before(async () => {
  flk = (await pcsFactory()).flk;
});

for (const kind of stores.kinds) {
  describe(`cost attribution and reports on ${kind}`, () => {
    let dir, srv;
    before(async () => {
      dir = tmp('flk-e2e-cost-report-');
      const tenants = join(dir, 'tenants.json');
      writeFileSync(tenants, JSON.stringify({ tenants: [{ id: 'acme', keys: [{ kid: 'a1', key: KEY }] }] }));
      srv = await startServer({ data: dir, store: stores.database(kind),
        args: ['--tenants-file', tenants, '--admin-token', 'admin-secret', '--rate-limit', '100000', '--log-level', 'warn'] });
    });
    after(async () => {
      await srv?.stop();
      cleanup(dir);
    });
    const send = (doc) => {
      const body = JSON.stringify(doc);
      const sig = flk.crypto.hmac_sha256({ key_text: KEY.key_text, message_text: body }).mac_b64;
      return post(srv.url, '/v1/cost/usage', body, { 'X-Tenant-Id': 'acme', 'X-Flk-Signature': sig });
    };
    const report = async (groupBy) => {
      const r = await fetch(`${srv.url}/v1/cost/report?from=${day(-1)}&to=${day(2)}&group_by=${groupBy}`,
        { headers: { ...ADMIN, 'X-Tenant-Id': 'acme' } });
      assert.equal(r.status, 200, await r.clone().text());
      return r.json();
    };

    test('attribution is checked field by field and echoed with the priced event', async () => {
      for (const [extra, code, path] of [
        [{ task: '.hidden' }, 'bad_format', '$.task'],
        [{ task: 7 }, 'wrong_type', '$.task'],
        [{ user: '' }, 'bad_format', '$.user'],
        [{ labels: { Team: 'a' } }, 'bad_format', '$.labels.Team'],
        [{ labels: { team: 'x'.repeat(257) } }, 'too_large', '$.labels.team'],
        [{ labels: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'too_large', '$.labels'],
        [{ verification_id: 'a b' }, 'bad_format', '$.verification_id'],
      ]) {
        const r = await send({ events: [{ event_id: 'ok', model: 'gpt-4o', usage: { prompt_tokens: 1 } },
          { event_id: 'bad', model: 'gpt-4o', usage: { prompt_tokens: 1 }, ...extra }] });
        assert.equal(r.status, 422, JSON.stringify(extra));
        assert.equal(r.json.error.code, code, JSON.stringify(r.json));
        assert.equal(r.json.error.path, path.replace('$', '$.events[1]'));
        // the message names the same place (it said "$.task …" for $.events[1].task before)
        assert.ok(r.json.error.message.includes(r.json.error.path), r.json.error.message);
      }
      const ok = await send({ event_id: 'one', model: 'gpt-4o', usage: { prompt_tokens: 1 }, task: 'solo',
        labels: { team: 'red', env: 'dev' } });
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(ok.json.usage.attribution, { task: 'solo', labels: { env: 'dev', team: 'red' } });
      // A verification id the gate never issued to this tenant is refused by the store, alone or in a batch.
      const unknown = await send({ event_id: 'ghost', model: 'gpt-4o', usage: { prompt_tokens: 1 }, verification_id: 'ver_nothing' });
      assert.equal(unknown.status, 422, unknown.text);
      assert.equal(unknown.json.error.code, 'unknown_verification');
      assert.equal(unknown.json.error.path, '$.verification_id');
      const batch = await send({ events: [{ event_id: 'ghost-2', model: 'gpt-4o', usage: { prompt_tokens: 1 }, verification_id: 'ver_nothing' },
        { event_id: 'one', model: 'gpt-4o', usage: { prompt_tokens: 1 }, task: 'solo', labels: { team: 'red', env: 'dev' } }] });
      assert.equal(batch.status, 200, batch.text);
      assert.equal(batch.json.results[0].error.code, 'unknown_verification');
      assert.equal(batch.json.results[1].event_id, 'one', 'its neighbour is answered as usual (here: a duplicate)');
    });

    test('the report groups by task, user, label, model, day and month in the database, to the nano-dollar', async () => {
      const r = await send({ events: EVENTS });
      assert.equal(r.status, 200, r.text);
      const expected = (keyOf) => {
        const sums = new Map();
        for (const e of EVENTS) {
          const { event_id, task, user, labels, verification_id, ...priced } = e;
          const key = JSON.stringify(keyOf(e));
          const s = sums.get(key) ?? { nanos: 0n, events: 0 };
          s.nanos += nanos(flk.call('cost.usage', priced).total_usd);
          s.events += 1;
          sums.set(key, s);
        }
        return [...sums.entries()].map(([k, s]) => [JSON.parse(k), s.nanos, s.events])
          .sort((a, b) => (JSON.stringify(Object.values(a[0])) < JSON.stringify(Object.values(b[0])) ? -1 : 1));
      };
      const rows = (rep) => rep.rows.filter((x) => x.key.task !== 'solo').map((x) => [x.key, nanos(x.total_usd), x.events]);
      const one = nanos((await report('task')).rows.find((x) => x.key.task === 'solo').total_usd);

      const byTask = await report('task,label:team,month');
      assert.deepEqual(rows(byTask), expected((e) => ({ task: e.task, 'label:team': e.labels?.team ?? '', month: day(0).slice(0, 7) })));
      const byUser = await report('user,model,day');
      assert.deepEqual(rows(byUser).filter((x) => x[0].user), expected((e) => ({ user: e.user, model: e.model, day: day(0) })));
      const all = await report('');
      const total = expected(() => ({}))[0];
      assert.equal(all.totals.events, total[2] + 1);
      assert.equal(nanos(all.totals.total_usd), total[1] + one);
      assert.deepEqual(byTask.group_by, ['task', 'label:team', 'month']);
    });

    test('cost per trusted task: spend over the events whose verification the gate accepted', async () => {
      const context = 'The Eiffel Tower was finished in March 1889 for the World Fair.';
      const verify = async (answer) => {
        const body = JSON.stringify({ question: 'When was the tower finished?', context, answer });
        const sig = flk.crypto.hmac_sha256({ key_text: KEY.key_text, message_text: body }).mac_b64;
        const r = await post(srv.url, '/v1/verify', body, { 'X-Tenant-Id': 'acme', 'X-Flk-Signature': sig });
        return r.json;
      };
      const accepted = await verify('It was finished in March 1889 for the World Fair.');
      const rejected = await verify('The tower was finished in 1899.');
      assert.equal(accepted.decision.action, 'accept');
      assert.equal(rejected.decision.action, 'reject');
      const trusted = [accepted, accepted, rejected].map((v, i) => ({ event_id: `t${i}`, model: 'gpt-4o',
        usage: { prompt_tokens: 100, completion_tokens: 10 }, task: 'trusted-check', verification_id: v.verification_id }));
      for (const e of trusted) assert.equal((await send(e)).status, 200);
      const r = await report('task');
      const row = r.rows.find((x) => x.key.task === 'trusted-check');
      assert.equal(row.events, 3);
      assert.equal(row.trusted_events, 2, 'two events name the accepted verification, one the rejected');
      assert.equal(nanos(row.cost_per_trusted_task_usd), nanos(row.total_usd) / 2n);
      assert.equal(r.rows.find((x) => x.key.task === 'task-0').trusted_events, 0, 'ids no verification holds are not trusted');
      assert.equal(r.rows.find((x) => x.key.task === 'task-0').cost_per_trusted_task_usd, null);
      assert.equal(r.totals.trusted_events, 2);
    });

    test('group_by is checked', async () => {
      for (const g of ['task,task', 'label:', 'label:Team', 'label:a,label:b,label:c,label:d,label:e', 'colour']) {
        const r = await fetch(`${srv.url}/v1/cost/report?from=${day(0)}&to=${day(1)}&group_by=${g}`,
          { headers: { ...ADMIN, 'X-Tenant-Id': 'acme' } });
        assert.equal(r.status, 422, g);
        assert.equal((await r.json()).error.code, 'bad_group_by');
      }
    });
  });
}
