// Writes ensemble.json: every voter op and ensemble.verify (N-of-M, stacker, each failure mode,
// host votes, a PCS) on hand-made requests, plus typed errors. Expectations come from the native
// build (node tests/golden/make_ensemble.mjs after `scripts/build.sh native`); the golden test
// then requires every build to print the same bytes. Latencies are the modeled clock's, so the
// bytes are deterministic. Re-run after refitting core/facade/ensemble_default_params.inc.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { expectFromNative } from './native_expect.mjs';

const root = new URL('../../', import.meta.url).pathname;
const flk = (args, input) => spawnSync(`${root}dist/native/flk`, args, { input, encoding: 'utf8' });
const cases = [];
const add = (name, op, input, expect) => cases.push({ name, op, input, expect });

const context = 'The Eiffel Tower was finished in March 1889 for the World Fair. It is 330 metres tall and is not painted red.';
const rag = {
  question: 'When was the tower finished?',
  context,
  answer: 'The tower was finished in 1899. It is painted red.',
  task: 'qa',
  citations: [{ answer: [0, 30], source: [0, 62] }, { answer: [32, 50], source: [64, 109] }],
  samples: ['It was finished in 1889.', 'The tower was completed in 1889 and is 330 metres tall.', 'Finished in 1889; it is not red.'],
};
const faithful = {
  question: rag.question,
  context,
  answer: 'It was finished in March 1889 for the World Fair.',
  task: 'qa',
  citations: [{ answer: [0, 48], source: [0, 62] }],
  samples: ['It was finished in 1889.', 'The tower was finished in March 1889.'],
};
const closed = { question: 'Who wrote Hamlet?', answer: 'Hamlet was written by William Shakespeare.' };
assert.equal(context.slice(0, 62), 'The Eiffel Tower was finished in March 1889 for the World Fair');
assert.equal(rag.answer.slice(32, 50), 'It is painted red.'.slice(0, 18));

const pcsOut = JSON.parse(flk(['call', 'pcs.build'], JSON.stringify({
  points: [[0.1, 0.2], [0.4, 0.1], [0.9, 0.8], [0.3, 0.7], [0.5, 0.5], [0.2, 0.9], [0.8, 0.3], [0.6, 0.6]],
  shard_id: 's1', epoch: 1, sent_at: '2026-01-01T00:00:00Z',
})).stdout);
assert.ok(!pcsOut.error, JSON.stringify(pcsOut));

const voters = ['risk', 'grounding', 'citation_overlap', 'micro_vote', 'self_consistency'];
for (const [name, x] of Object.entries({ rag, faithful, closed }))
  for (const v of voters) add(`${v} ${name}`, `ensemble.${v}`, x);
add('pcs_recompute valid', 'ensemble.pcs_recompute', { ...faithful, pcs: pcsOut });
add('pcs_recompute tampered D_hat', 'ensemble.pcs_recompute', { ...faithful, pcs: { ...pcsOut, D_hat: pcsOut.D_hat + 1 } });
add('pcs_recompute without pcs', 'ensemble.pcs_recompute', faithful);
add('host_vote ok', 'ensemble.host_vote', { host_vote: { name: 'judge', score: 0.2, latency_us: 900, timeout_us: 1000 } });
add('host_vote late', 'ensemble.host_vote', { host_vote: { name: 'judge', score: 0.2, latency_us: 1200, timeout_us: 1000 } });
add('host_vote error', 'ensemble.host_vote', { host_vote: { name: 'nli', status: 'error', latency_us: 3, message: 'HTTP 503' } });

for (const [name, x] of Object.entries({ rag, faithful, closed })) {
  add(`verify 2-of-3 ${name}`, 'ensemble.verify', x);
  add(`verify stacker ${name}`, 'ensemble.verify', { ...x, policy: { method: 'stacker', voters: ['risk', 'grounding', 'citation_overlap', 'micro_vote'] } });
}
add('verify all voters 3-of-6', 'ensemble.verify', { ...faithful, pcs: pcsOut, policy: { n: 3, voters: ['pcs_recompute', ...voters] } });
add('verify 1-of-1 closed book', 'ensemble.verify', { ...closed, policy: { n: 1, voters: ['risk'] } });
for (const v of ['risk', 'grounding', 'micro_vote'])
  for (const mode of ['fail_open', 'fail_closed', 'degrade']) {
    add(`verify ${v} past its deadline, ${mode}`, 'ensemble.verify', { ...faithful, policy: { deadline_us: { [v]: 1 }, on_timeout: mode } });
    add(`verify ${v} errors, ${mode}`, 'ensemble.verify', { ...faithful, policy: { inject: { [v]: 'error' }, on_error: mode } });
  }
add('verify stacker with a degraded voter', 'ensemble.verify', { ...faithful, policy: { method: 'stacker', voters: ['risk', 'grounding', 'micro_vote'], inject: { grounding: 'timeout' } } });
add('verify stacker fail_closed', 'ensemble.verify', { ...faithful, policy: { method: 'stacker', inject: { micro_vote: 'error' }, on_error: 'fail_closed' } });
add('verify host votes', 'ensemble.verify', {
  ...faithful,
  host_votes: [{ name: 'judge', score: 0.1, latency_us: 800 }, { name: 'nli', score: 0.9, latency_us: 2500 }],
  policy: { deadline_us: { host: 2000 }, on_timeout: 'degrade', bands: { host: { pass_below: 0.2, flag_at: 0.8 } } },
});
for (const [name, x] of Object.entries({ rag, faithful, closed }))
  add(`verify cascade ${name}`, 'ensemble.verify', { ...x, policy: { cascade: true, voters: ['risk', 'grounding', 'citation_overlap', 'micro_vote', 'self_consistency'], n: 2 } });
add('verify cascade fail_closed', 'ensemble.verify', { ...faithful, policy: { cascade: true, inject: { grounding: 'error' }, on_error: 'fail_closed' } });
add('cascade with the stacker', 'ensemble.verify', { answer: 'x', policy: { cascade: true, method: 'stacker' } }, { error: { code: 'conflicting_fields', path: '$.policy.cascade' } });
add('verify custom bands', 'ensemble.verify', { ...rag, policy: { bands: { risk: { pass_below: 0.95, flag_at: 0.99 } } } });

const err = (code, path) => ({ error: { code, path } });
add('unknown field', 'ensemble.verify', { answer: 'x', answr: 'y' }, err('unknown_field', '$.answr'));
add('missing answer', 'ensemble.verify', { question: 'Why?' }, err('missing_field', '$.answer'));
add('empty answer', 'ensemble.risk', { answer: '' }, err('bad_length', '$.answer'));
add('oversize answer', 'ensemble.verify', { answer: 'a'.repeat(65537) }, err('too_large', '$.answer'));
add('too many samples', 'ensemble.self_consistency', { answer: 'a', samples: Array(21).fill('s') }, err('too_large', '$.samples'));
add('too many citations', 'ensemble.citation_overlap', { answer: 'ab', context: 'cd', citations: Array(65).fill({ answer: [0, 1], source: [0, 1] }) }, err('too_large', '$.citations'));
add('citation outside the context', 'ensemble.verify', { ...faithful, citations: [{ answer: [0, 10], source: [100, 200] }] }, err('out_of_range', '$.citations[0].source'));
add('citation outside the answer', 'ensemble.verify', { ...faithful, citations: [{ answer: [0, 99], source: [0, 10] }] }, err('out_of_range', '$.citations[0].answer'));
add('citation without context', 'ensemble.verify', { answer: 'ab', citations: [{ answer: [0, 1], source: [0, 1] }] }, err('out_of_range', '$.citations[0].source'));
add('citation unknown field', 'ensemble.verify', { ...faithful, citations: [{ answer: [0, 1], source: [0, 1], page: 3 }] }, err('unknown_field', '$.citations[0].page'));
add('invalid pcs', 'ensemble.verify', { answer: 'x', pcs: { ...pcsOut, D_hat: 'high' } }, err('wrong_type', '$.pcs.D_hat'));
add('pcs missing a field', 'ensemble.pcs_recompute', { answer: 'x', pcs: { pcs_id: pcsOut.pcs_id } }, { error: { code: 'missing_field' } });
add('unknown voter', 'ensemble.verify', { answer: 'x', policy: { voters: ['oracle'] } }, err('out_of_range', '$.policy.voters[0]'));
add('unknown failure mode', 'ensemble.verify', { answer: 'x', policy: { on_timeout: 'retry' } }, err('out_of_range', '$.policy.on_timeout'));
add('n out of range', 'ensemble.verify', { answer: 'x', policy: { n: 17 } }, err('out_of_range', '$.policy.n'));
add('bands inverted', 'ensemble.verify', { answer: 'x', policy: { bands: { risk: { pass_below: 0.8, flag_at: 0.2 } } } }, err('out_of_range', '$.policy.bands.risk.pass_below'));
add('inject ok is not a fault', 'ensemble.verify', { answer: 'x', policy: { inject: { risk: 'ok' } } }, err('out_of_range', '$.policy.inject.risk'));
add('host vote without score', 'ensemble.verify', { answer: 'x', host_votes: [{ name: 'j', latency_us: 1 }] }, err('missing_field', '$.host_votes[0].score'));
add('host vote score out of range', 'ensemble.verify', { answer: 'x', host_votes: [{ name: 'j', score: 2, latency_us: 1 }] }, err('out_of_range', '$.host_votes[0].score'));
add('host votes twice the same name', 'ensemble.verify', { answer: 'x', host_votes: [{ name: 'j', score: 0, latency_us: 1 }, { name: 'j', score: 0, latency_us: 1 }] }, err('duplicate_key', '$.host_votes[1].name'));
add('too many host votes', 'ensemble.verify', { answer: 'x', host_votes: Array.from({ length: 9 }, (_, i) => ({ name: `h${i}`, score: 0, latency_us: 1 })) }, err('too_large', '$.host_votes'));
add('pcs_params without pcs', 'ensemble.verify', { answer: 'x', pcs_params: { tol_D: 0.1 } }, err('conflicting_fields', '$.pcs_params'));
add('clock unknown', 'ensemble.risk', { answer: 'x', clock: 'wall' }, err('out_of_range', '$.clock'));
add('eval without labels', 'ensemble.eval', { examples: [{ answer: 'x' }] }, err('missing_field', '$.examples[0].label'));

expectFromNative(cases, root);

// Hand checks before trusting the rest.
const x = (name) => cases.find((c) => c.name === name).expect;
assert.equal(x('citation_overlap closed').status, 'skipped');
assert.equal(x('micro_vote closed').status, 'skipped');
assert.equal(x('pcs_recompute valid').score, 0);
assert.equal(x('pcs_recompute tampered D_hat').score > 0, true);
assert.equal(x('host_vote late').status, 'timeout');
assert.ok(x('self_consistency rag').score > x('self_consistency faithful').score);
assert.ok(x('grounding rag').score > x('grounding faithful').score);
for (const v of ['risk', 'grounding', 'micro_vote']) {
  assert.equal(x(`verify ${v} past its deadline, fail_closed`).decision, 'reject');
  assert.equal(x(`verify ${v} errors, fail_closed`).decision, 'reject');
  for (const mode of ['fail_open', 'degrade']) assert.notEqual(x(`verify ${v} errors, ${mode}`).decision, 'reject', `${v} ${mode}`);
}
assert.equal(x('verify stacker fail_closed').decision, 'reject');
assert.equal(x('verify cascade fail_closed').decision, 'reject');
for (const name of ['faithful']) {
  const c = x(`verify cascade ${name}`);
  assert.ok(c.votes.some((v) => v.evidence.reason === 'cascade: decision already fixed'), name);
}

writeFileSync(
  `${root}tests/golden/ensemble.json`,
  JSON.stringify({ description: 'Ensemble voters, ensemble.verify under every failure mode, typed errors (tests/golden/make_ensemble.mjs).', cases }, null, 1) + '\n',
);
console.log(`wrote ${cases.length} cases`);
