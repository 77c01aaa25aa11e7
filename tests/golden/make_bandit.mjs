// Writes bandit.json: the per-tenant adaptation ops - ensemble.bandit.choose (no state, a state
// that favours one arm, eight arms), ensemble.bandit.update (right and wrong decisions, cost,
// discount, a new arm), ensemble.agreement (folding counters), gate.decide with an adaptive
// policy, an adaptive EnsemblePolicy document, hrs.eval_scores - and their typed errors. Expectations come from the native build
// (node tests/golden/make_bandit.mjs after `scripts/build.sh native`); every build must print the
// same bytes (the Beta draws use the core's deterministic log, exp and sqrt).
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { expectFromNative } from './native_expect.mjs';

const root = new URL('../../', import.meta.url).pathname;
const cases = [];
const add = (name, op, input, expect) => cases.push({ name, op, input, expect });
const err = (code, path) => ({ error: { code, path } });

const arms = [{ name: 'cheap', voters: ['risk'], n: 1 }, { name: 'full', voters: ['risk', 'grounding', 'micro_vote'] }];
const favour = { arms: { cheap: { alpha: 40, beta: 2, pulls: 40, cost_sum: 4 }, full: { alpha: 2, beta: 20, pulls: 20, cost_sum: 9 } } };
for (const key of ['a', 'b', 'c', 'request-0001']) add(`choose no state ${key}`, 'ensemble.bandit.choose', { arms, key });
for (const key of ['a', 'b']) add(`choose favoured ${key}`, 'ensemble.bandit.choose', { arms, key, state: favour });
add('choose eight arms, shapes below 1', 'ensemble.bandit.choose', {
  arms: Array.from({ length: 8 }, (_, i) => ({ name: `arm${i}` })),
  key: 'eight',
  state: { arms: { arm0: { alpha: 0.2, beta: 0.3, pulls: 0, cost_sum: 0 }, arm7: { alpha: 500, beta: 1, pulls: 500, cost_sum: 0 } } },
});
add('update hallucinated rejected', 'ensemble.bandit.update', { arm: 'cheap', label: 1, decision: 'reject' });
add('update faithful escalated', 'ensemble.bandit.update', { arm: 'cheap', label: 0, decision: 'escalate', state: favour });
add('update cost and discount', 'ensemble.bandit.update', {
  arm: 'full', label: 0, decision: 'accept', cost: 250, cost_scale: 1000, cost_weight: 0.4, discount: 0.9, state: favour,
});
add('update a new arm', 'ensemble.bandit.update', { arm: 'third', label: 1, decision: 'accept', cost: 5000, cost_scale: 1000, cost_weight: 1, state: favour });
const d1 = { votes: [{ voter: 'risk', vote: 'flag' }, { voter: 'grounding', vote: 'flag' }, { voter: 'micro_vote', vote: 'pass' }] };
const d2 = { votes: [{ voter: 'risk', vote: 'pass', score: 0.1 }, { voter: 'grounding', vote: 'unsure' }, { voter: 'micro_vote', vote: 'pass' }] };
add('agreement two decisions', 'ensemble.agreement', { decisions: [d1, d2] });
add('agreement folds counts', 'ensemble.agreement', {
  decisions: [d2], counts: { pairs: [{ a: 'grounding', b: 'risk', both: 3, agree: 2 }], both: 3, agree: 2, agreement_ratio: 0.6667 },
});
add('agreement of nothing', 'ensemble.agreement', { decisions: [] });
const request = { question: 'When was the tower finished?', context: 'The Eiffel Tower was finished in March 1889.', answer: 'It was finished in 1899.' };
const adaptive = { n: 1, adaptive: { arms, cost_weight: 0.1, cost_scale_us: 500, discount: 0.99 } };
add('gate.decide adaptive, default key', 'gate.decide', { ...request, policy: adaptive });
add('gate.decide adaptive, state and key', 'gate.decide', { ...request, policy: adaptive, bandit: { key: 'k', state: favour } });
add('hrs.eval_scores', 'hrs.eval_scores', {
  rows: [
    { probability: 0.9, label: 1, logit: 2.2, set: 'qa' }, { probability: 0.3, label: 0, logit: -0.8, set: 'qa' },
    { probability: 0.6, label: 1, logit: 0.4, set: 'rag' }, { probability: 0.7, label: 0, logit: 0.8, set: 'rag' },
  ],
});

const ensemblePolicy = (spec) => ({ policy: { apiVersion: 'flk.dev/policy/v1', kind: 'EnsemblePolicy', metadata: { name: 'adaptive', version: 1 }, spec } });
add('policy.validate adaptive EnsemblePolicy', 'policy.validate', ensemblePolicy(adaptive));

add('policy.validate adaptive arm out of range', 'policy.validate', ensemblePolicy({ adaptive: { arms: [{ name: 'a', voters: ['grounding'], method: 'stacker', cascade: true }] } }), err('conflicting_fields', '$.policy.spec.adaptive.arms[0].cascade'));
add('choose without arms', 'ensemble.bandit.choose', { arms: [], key: 'k' }, err('bad_length', '$.arms'));
add('choose nine arms', 'ensemble.bandit.choose', { arms: Array.from({ length: 9 }, (_, i) => ({ name: `a${i}` })), key: 'k' }, err('too_large', '$.arms'));
add('choose arm twice', 'ensemble.bandit.choose', { arms: [{ name: 'a' }, { name: 'a' }], key: 'k' }, err('duplicate_key', '$.arms[1].name'));
add('choose without key', 'ensemble.bandit.choose', { arms }, err('missing_field', '$.key'));
add('state alpha zero', 'ensemble.bandit.update', { arm: 'a', label: 1, decision: 'reject', state: { arms: { a: { alpha: 0, beta: 1, pulls: 0, cost_sum: 0 } } } }, err('out_of_range', '$.state.arms.a.alpha'));
add('update bad decision', 'ensemble.bandit.update', { arm: 'a', label: 1, decision: 'maybe' }, err('out_of_range', '$.decision'));
add('update discount too low', 'ensemble.bandit.update', { arm: 'a', label: 1, decision: 'reject', discount: 0.1 }, err('out_of_range', '$.discount'));
add('agreement bad vote', 'ensemble.agreement', { decisions: [{ votes: [{ voter: 'risk', vote: 'maybe' }] }] }, err('out_of_range', '$.decisions[0].votes[0].vote'));
add('gate.decide bandit without adaptive', 'gate.decide', { ...request, bandit: { key: 'k' } }, err('unknown_field', '$.bandit'));
add('gate.decide bad arm', 'gate.decide', { ...request, policy: { adaptive: { arms: [{ name: 'a', n: 99 }] } } }, err('out_of_range', '$.policy.adaptive.arms[0].n'));
add('gate.decide arm unknown key', 'gate.decide', { ...request, policy: { adaptive: { arms: [{ name: 'a', clock: 'measured' }] } } }, err('unknown_field', '$.policy.adaptive.arms[0].clock'));
add('hrs.eval_scores empty', 'hrs.eval_scores', { rows: [] }, err('bad_length', '$.rows'));

expectFromNative(cases, root);

// Hand checks before trusting the rest.
const x = (name) => cases.find((c) => c.name === name).expect;
assert.ok(new Set(['a', 'b', 'c', 'request-0001'].map((k) => x(`choose no state ${k}`).arm)).size === 2, 'both arms drawn without state');
assert.equal(x('choose favoured a').arm, 'cheap');
assert.equal(x('choose eight arms, shapes below 1').arm, 'arm7');
assert.deepEqual(x('update hallucinated rejected').state.arms.cheap, { alpha: 2, beta: 1, pulls: 1, cost_sum: 0 });
assert.equal(x('update faithful escalated').right, false);
assert.equal(x('update cost and discount').reward, 1 - 0.4 * 0.25);
assert.equal(x('update a new arm').reward, 0);
assert.equal(x('agreement two decisions').agreement_ratio, 2 / 4);
assert.equal(x('gate.decide adaptive, state and key').adaptive.arm, 'cheap');
assert.deepEqual(x('gate.decide adaptive, state and key').ensemble.votes.map((v) => v.voter), ['risk']);

writeFileSync(
  `${root}tests/golden/bandit.json`,
  JSON.stringify({ description: 'Per-tenant adaptation: bandit choose / update, voter agreement, adaptive gate.decide, hrs.eval_scores, typed errors (tests/golden/make_bandit.mjs).', cases }, null, 1) + '\n',
);
console.log(`wrote ${cases.length} cases`);
