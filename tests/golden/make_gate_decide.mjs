// Writes gate_decide.json: the verification gate's one decision (gate.decide: voters -> routing
// band -> budget -> action) under several tenant configurations, decisions sealed and re-checked
// (gate.seal_decision, gate.check_decision), and typed errors. Expectations come from the native
// build (node tests/golden/make_gate_decide.mjs after `scripts/build.sh native`); the golden test
// then requires every build to print the same bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { expectFromNative } from './native_expect.mjs';

const root = new URL('../../', import.meta.url).pathname;
const call = (op, input) => JSON.parse(spawnSync(`${root}dist/native/flk`, ['call', op], { input: JSON.stringify(input), encoding: 'utf8' }).stdout);
const cases = [];
const add = (name, op, input, expect) => cases.push({ name, op, input, expect });

const context = 'The Eiffel Tower was finished in March 1889 for the World Fair. It is 330 metres tall.';
const wrong = { question: 'When was the tower finished?', context, answer: 'The tower was finished in 1899.' };
const right = { question: wrong.question, context, answer: 'It was finished in March 1889 for the World Fair.' };
const usage = { model: 'gpt-4o-mini', input_tokens: 812, output_tokens: 40, cost_usd: 0.0004 };
const cautious = [
  { name: 'low', min_risk: 0, max_risk: 0.1, action: 'accept' },
  { name: 'mid', min_risk: 0.1, max_risk: 0.8, action: 'rag_required' },
  { name: 'high', min_risk: 0.8, max_risk: 1, action: 'reject' },
];

for (const [name, x] of Object.entries({ wrong, right })) {
  add(`decide ${name}, defaults`, 'gate.decide', x);
  add(`decide ${name}, stacker`, 'gate.decide', { ...x, policy: { method: 'stacker' } });
  add(`decide ${name}, cautious bands`, 'gate.decide', { ...x, bands: cautious });
  add(`decide ${name}, within budget`, 'gate.decide', { ...x, usage, budget: { cap_usd: 10, spent_usd: 2 } });
}
add('decide right, over budget rejects', 'gate.decide', { ...right, usage, budget: { cap_usd: 10, spent_usd: 10 } });
add('decide right, over budget escalates', 'gate.decide', { ...right, usage, budget: { cap_usd: 10, spent_usd: 10, on_exceeded: 'escalate' } });
add('decide right, cap reached without a cost', 'gate.decide', { ...right, budget: { cap_usd: 1, spent_usd: 1 } });
add('decide closed book, no risk voter', 'gate.decide', { answer: 'Hamlet was written by Shakespeare.', policy: { n: 1, voters: ['grounding'] } });
for (const mode of ['fail_open', 'fail_closed', 'degrade'])
  add(`decide right, risk times out, ${mode}`, 'gate.decide', { ...right, policy: { deadline_us: { risk: 1 }, on_timeout: mode } });

// A RiskRoutingPolicy in place of bands (docs/policy.md): a band, an override on the request's
// attributes, a region, and a selector that does not admit the tenant.
const routingPolicy = {
  apiVersion: 'flk.dev/policy/v1', kind: 'RiskRoutingPolicy', metadata: { name: 'acme-routing', version: 2 },
  spec: {
    selector: "tenant == 'acme'", scorer: { model: 'hrs-default' }, fail_mode: 'closed',
    bands: [
      { name: 'low', min_risk: 0, max_risk: 0.3, action: 'accept' },
      { name: 'eu', min_risk: 0.3, max_risk: 0.6, action: 'alternate_region', region: 'eu-west-1' },
      { name: 'high', min_risk: 0.6, max_risk: 1, action: 'human_review' },
    ],
    overrides: [{ when: "attributes.task == 'rag' && risk > 0.8", action: 'reject' }],
  },
};
for (const [name, x] of Object.entries({ wrong, right }))
  add(`decide ${name}, routing policy`, 'gate.decide', { ...x, routing_policy: routingPolicy, tenant: 'acme', attributes: { task: 'rag' } });
add('decide right, routing policy not for this tenant', 'gate.decide', { ...right, routing_policy: routingPolicy, tenant: 'beta' });

const seed_hex = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const { public_key_hex } = call('crypto.ed25519_keypair', { seed_hex });
const decision = { verification_id: 'v-1', tenant: 'acme', created_ms: 1767225600000, decision: call('gate.decide', right) };
const sealed = call('gate.seal_decision', { decision, seed_hex });
assert.ok(sealed.signature, JSON.stringify(sealed).slice(0, 200));
add('seal a decision', 'gate.seal_decision', { decision, seed_hex });
add('check a sealed decision', 'gate.check_decision', { decision: sealed, public_key_hex });
add('check an edited decision', 'gate.check_decision', { decision: { ...sealed, tenant: 'other' }, public_key_hex });
add('check with another key', 'gate.check_decision', { decision: sealed, public_key_hex: '00'.repeat(32) });
add('check an unsigned decision', 'gate.check_decision', { decision, public_key_hex });

const err = (code, path) => ({ error: { code, path } });
add('unknown field', 'gate.decide', { ...right, verdict: 'accept' }, err('unknown_field', '$.verdict'));
add('unknown usage field', 'gate.decide', { ...right, usage: { cost: 1 } }, err('unknown_field', '$.usage.cost'));
add('negative cost', 'gate.decide', { ...right, usage: { cost_usd: -1 } }, err('out_of_range', '$.usage.cost_usd'));
add('budget without spend', 'gate.decide', { ...right, budget: { cap_usd: 1 } }, err('missing_field', '$.budget.spent_usd'));
add('budget accepts when over', 'gate.decide', { ...right, budget: { cap_usd: 1, spent_usd: 0, on_exceeded: 'accept' } }, err('out_of_range', '$.budget.on_exceeded'));
add('bands with a gap', 'gate.decide', { ...right, bands: [{ name: 'a', min_risk: 0, max_risk: 0.5, action: 'accept' }] }, { error: { code: 'out_of_range' } });
add('oversize answer', 'gate.decide', { answer: 'a'.repeat(65537) }, err('too_large', '$.answer'));
add('bands and a routing policy', 'gate.decide', { ...right, bands: cautious, routing_policy: routingPolicy }, err('out_of_range', '$.bands'));
const budgetPolicy = JSON.parse(readFileSync(`${root}tests/data/policy/budget.json`, 'utf8'));
add('a routing policy of another kind', 'gate.decide', { ...right, routing_policy: budgetPolicy }, err('out_of_range', '$.routing_policy.kind'));
add('tenant without a routing policy', 'gate.decide', { ...right, tenant: 'acme' }, err('unknown_field', '$.tenant'));
add('seed of the wrong size', 'gate.seal_decision', { decision, seed_hex: '00' }, err('bad_length', '$.seed'));

expectFromNative(cases, root);

const x = (name) => cases.find((c) => c.name === name).expect;
assert.equal(x('decide wrong, defaults').action, 'reject');
assert.equal(x('decide wrong, defaults').http_status, 409);
assert.equal(x('decide right, defaults').action, 'accept');
assert.equal(x('decide right, over budget rejects').action, 'reject');
assert.equal(x('decide right, over budget escalates').action, 'escalate');
assert.equal(x('decide right, risk times out, fail_closed').action, 'reject');
assert.notEqual(x('decide right, risk times out, fail_open').action, 'reject');
assert.equal(x('decide closed book, no risk voter').routing, null);
assert.equal(x('decide right, routing policy').routing.policy.name, 'acme-routing');
assert.equal(x('decide wrong, routing policy').routing.reason, 'override', 'the override on a high risk for rag');
assert.equal(x('decide right, routing policy not for this tenant').routing.policy, undefined, 'not admitted: the default bands route');
assert.equal(x('check a sealed decision').valid, true);
assert.equal(x('check an edited decision').result, 'bad_signature');
assert.equal(x('check with another key').result, 'other_key');
assert.equal(x('check an unsigned decision').result, 'no_signature');

writeFileSync(
  `${root}tests/golden/gate_decide.json`,
  JSON.stringify({ description: 'The verification gate: gate.decide, sealed decisions and typed errors (tests/golden/make_gate_decide.mjs).', cases }, null, 1) + '\n',
);
console.log(`wrote ${cases.length} cases`);
