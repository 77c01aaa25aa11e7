// Writes hrs.json: HRS feature, score and explain vectors for the embedded default model, plus
// typed-error cases. Expectations come from the native build (node tests/golden/make_hrs.mjs
// after `scripts/build.sh native`); the golden test then requires every build to print the
// same bytes. Hand-checkable feature values are asserted here before anything is written.
// Re-run after retraining core/hrs/default_model.json.
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { expectFromNative } from './native_expect.mjs';

const root = new URL('../../', import.meta.url).pathname;
const cases = [];
const add = (name, op, input, expect) => cases.push({ name, op, input, expect });

const qa = { question: 'Who designed the Eiffel Tower?', answer: 'Gustave Eiffel designed it in 1887.', task: 'qa' };
const rag = {
  question: 'When was the tower finished?',
  context: 'The Eiffel Tower was finished in March 1889 for the World Fair. It is 330 metres tall and is not painted red.',
  answer: 'The tower was finished in 1899 and it is painted red.',
  task: 'qa',
};
const faithful = { ...rag, answer: 'It was finished in March 1889.' };
const dialogue = {
  question: 'Have you been to Paris?',
  context: 'Paris is the capital and most populous city of France.',
  answer: "I haven't, but I know Paris is the capital of France!",
  task: 'dialogue',
};
const summary = {
  context: 'The council approved the new budget on Tuesday. Spending on schools rises by 4 percent. Taxes stay the same.',
  answer: 'The council rejected the budget; taxes rise by 4 percent.',
  task: 'summarization',
};
const open = { question: 'Write a haiku about rain.', answer: 'Soft rain on the roof / the garden drinks in silence / I might stay inside' };
const signals = { ...qa, token_logprobs: [-0.05, -1.2, -0.3, -2.9, -0.01], embeddings: [[0.1, 0.3, 0.5], [0.2, 0.1, 0.4], [0.0, 0.5, 0.5]] };

for (const [name, x] of Object.entries({ qa, rag, faithful, dialogue, summary, open, signals })) {
  add(`features ${name}`, 'hrs.features', x);
  add(`score ${name}`, 'hrs.score', x);
}
add('score answer only', 'hrs.score', { answer: 'Yes.' });
// The README example: correct answers in any form score low, the wrong year high.
const eiffel = { question: 'When was the Eiffel Tower finished?', context: 'The Eiffel Tower was finished in March 1889.' };
const readme = { span: '1889', sentence: 'It was finished in 1889.', tower: 'The tower was finished in 1889.', wrong: 'It was finished in 1899.' };
for (const [name, answer] of Object.entries(readme)) add(`readme ${name}`, 'hrs.score', { ...eiffel, answer, reasons: 0 });
add('readme closed book', 'hrs.score', { question: eiffel.question, answer: readme.sentence, reasons: 0 });
add('support rag', 'hrs.support', rag);
// WordNet: "lost" against "won" (irregular forms of an antonym pair), "purchased" supported by "buys".
add('support antonym and synonym', 'hrs.support', {
  context: 'The Lakers won the final in 2010. The company buys the firm.',
  answer: 'The Lakers lost the final in 2010. The company purchased the firm.',
});
// A number with scale words is the number its source writes in digits; another value is a mismatch.
add('support scaled numbers', 'hrs.support', {
  context: 'The city had 2,300,000 inhabitants in 2020.',
  answer: 'The city had 2.3 million inhabitants in 2020. It had 2.8 million in 2021.',
});
add('support faithful', 'hrs.support', faithful);
add('support without context', 'hrs.support', qa);
add('support glued sentences', 'hrs.support', { context: 'Pearl Lowe is an English designer.Alison Goldfrapp is an English musician.', answer: 'Alison Goldfrapp is a Welsh musician. Pearl Lowe designs.' });
add('support one long line', 'hrs.support', { context: 'no boundary '.repeat(300), answer: 'boundary '.repeat(100) });
add('score without reasons', 'hrs.score', { ...rag, reasons: 0 });
add('score all reasons', 'hrs.score', { ...dialogue, reasons: 47 });
add('explain rag', 'hrs.explain', rag);
add('explain open', 'hrs.explain', open);
add('models lists the default', 'hrs.models', {});

const err = (code, path) => ({ error: path ? { code, path } : { code } });
add('missing answer', 'hrs.score', { question: 'Why?' }, err('missing_field', '$.answer'));
add('empty answer', 'hrs.score', { answer: '' }, err('bad_length', '$.answer'));
add('answer not a string', 'hrs.score', { answer: 42 }, err('wrong_type', '$.answer'));
add('context not a string', 'hrs.features', { answer: 'x', context: ['a'] }, err('wrong_type', '$.context'));
add('unknown field', 'hrs.score', { answer: 'x', answr: 'y' }, err('unknown_field', '$.answr'));
add('unknown task', 'hrs.score', { answer: 'x', task: 'poetry' }, err('out_of_range', '$.task'));
add('positive log-prob', 'hrs.score', { answer: 'x', token_logprobs: [-0.1, 0.5] }, err('out_of_range', '$.token_logprobs[1]'));
add('log-prob not a number', 'hrs.features', { answer: 'x', token_logprobs: ['a'] }, err('wrong_type', '$.token_logprobs[0]'));
add('ragged embeddings', 'hrs.features', { answer: 'x', embeddings: [[1, 2], [3]] }, err('bad_length', '$.embeddings[1]'));
add('empty embeddings', 'hrs.features', { answer: 'x', embeddings: [] }, err('bad_length', '$.embeddings'));
add('reasons out of range', 'hrs.score', { answer: 'x', reasons: 99 }, err('out_of_range', '$.reasons'));
add('unknown model', 'hrs.score', { answer: 'x', model_id: 'ab' }, err('not_found', '$.model_id'));
add('model_id and route_key', 'hrs.score', { answer: 'x', model_id: 'ab', route_key: 'u1' }, err('conflicting_fields', '$.route_key'));
add('route without experiment', 'hrs.route', { key: 'u1' }, err('not_found', '$'));
add('model_load of a non-model', 'hrs.model_load', { model: { format: 'other' } }, err('unsupported', '$.model.format'));
add('eval without labels', 'hrs.eval', { examples: [{ answer: 'x' }] }, err('missing_field', '$.examples[0].label'));
add('support without answer', 'hrs.support', { context: 'x' }, err('missing_field', '$.answer'));
add('support unknown field', 'hrs.support', { answer: 'x', reasons: 0 }, err('unknown_field', '$.reasons'));
add('train on too little', 'hrs.train', { examples: [{ answer: 'x', label: 1 }] }, err('out_of_range', '$.examples'));
// Total work and model size of hrs.train (docs/limits.md), checked before any feature is computed.
const two = [{ answer: 'a', label: 1 }, { answer: 'b', label: 0 }];
add('train: bags x trees x 2^(depth+1) nodes over the model bound', 'hrs.train', { examples: two, bags: 64, trees: 2000, depth: 8 },
  err('too_large', '$.trees'));
const many = Array.from({ length: 200 }, (_, i) => ({ answer: `a${i}`, label: i % 2 }));
add('train: (folds + 1) x bags x trees x depth x examples over the work budget', 'hrs.train',
  { examples: many, folds: 10, bags: 64, trees: 2000, depth: 8, lexical_bits: 14 }, err('too_large', '$.trees'));
// A set per example: the per-set bag-of-words baselines alone are folds x sets fits.
const ownSets = Array.from({ length: 2000 }, (_, i) => ({ answer: `a${i}`, label: i % 2, source: `s${i}` }));
add('train: bag-of-words fits x iterations x (weights + examples) over the work budget', 'hrs.train',
  { examples: ownSets, folds: 10 }, err('too_large', '$.examples'));

expectFromNative(cases, root);

// Hand checks (docs/hrs.md definitions) before trusting the rest.
const f = (name) => cases.find((c) => c.name === `features ${name}`).expect.features;
assert.equal(f('qa').answer_tokens_log, Math.log(7));
assert.equal(f('qa').question_answer_in_question_share, 2 / 4); // eiffel, designed of gustave eiffel designed 1887
assert.equal(f('rag').context_novel_numbers_log, Math.log(2)); // 1899
assert.equal(f('faithful').context_novel_content_share, 0);
assert.equal(f('dialogue').task_dialogue, 1);
assert.equal(f('summary').task_summarization, 1);
assert.equal(f('signals').logprob_min, -2.9);
for (const name of ['rag', 'faithful', 'dialogue']) {
  const s = cases.find((c) => c.name === `score ${name}`).expect;
  assert.ok(s.interval[0] <= s.probability && s.probability <= s.interval[1], name);
}

const score = (name) => cases.find((c) => c.name === name).expect;
for (const name of ['span', 'sentence', 'tower']) assert.equal(score(`readme ${name}`).band, 'low', name);
assert.equal(score('readme wrong').band, 'high');
const sup = cases.find((c) => c.name === 'support rag').expect;
assert.deepEqual(sup.sentences[0].mismatch, ['number']); // 1899 against "... finished in March 1889 ..."
const scaled = cases.find((c) => c.name === 'support scaled numbers').expect;
assert.deepEqual(scaled.sentences.map((s) => s.mismatch), [[], ['number']]);
const wn = cases.find((c) => c.name === 'support antonym and synonym').expect;
assert.deepEqual(wn.sentences.map((s) => [s.mismatch, s.support]), [[['antonym'], 0.75], [[], 1]]);
// Without grounding the interval says "cannot tell": it spans 0.5 and is wider than with the context.
const closed = score('readme closed book').interval, grounded = score('readme sentence').interval;
assert.ok(closed[0] < 0.5 && closed[1] > 0.5 && closed[1] - closed[0] > grounded[1] - grounded[0], String(closed));

writeFileSync(
  `${root}tests/golden/hrs.json`,
  JSON.stringify({ description: 'HRS features, default-model scores and explanations, typed errors (tests/golden/make_hrs.mjs).', cases }, null, 1) + '\n',
);
console.log(`wrote ${cases.length} cases`);
