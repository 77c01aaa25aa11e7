// The Hallucination Risk Scorer across front doors: huge contexts, the CLI on shared-schema
// files, the model registry and A/B routing, integrity checks, evaluation and drift, and
// that the committed default model is exactly what `flk hrs train` makes from the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { engines, flkBin, root } from './engines.mjs';

const flk = flkBin;
const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const dataDir = `${shared}/data`;
const haveData = existsSync(`${dataDir}/truthfulqa.jsonl`);
const noData = haveData ? false : `no shared data at ${dataDir} (set FLK_SHARED_DIR)`;
const tmp = mkdtempSync(`${tmpdir()}/flk-hrs-`);

const run = (args, input) => spawnSync(flk, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
const call = (op, input) => {
  const r = run(['call', op], JSON.stringify(input));
  return JSON.parse(r.stdout);
};

test('a 5 MB context scores identically in every build; past 16 MiB it is too_large', async () => {
  let context = '';
  for (let i = 0; context.length < 5 << 20; i++) context += `Sentence ${i} says the tower was built in ${1800 + (i % 200)}. `;
  const input = JSON.stringify({ context, answer: 'The tower was built in 1889 by Gustave Eiffel.', task: 'qa' });
  const e = await engines('hrs.score');
  const outs = Object.fromEntries(Object.entries(e).map(([k, fn]) => [k, fn([['hrs.score', input]])[0]]));
  for (const k of Object.keys(outs)) assert.equal(outs[k], outs.native, `${k} differs`);
  assert.ok(JSON.parse(outs.native).probability >= 0);
  const big = JSON.stringify({ context: 'x'.repeat((16 << 20) + 1), answer: 'y' });
  const err = JSON.parse(e.wasm([['hrs.score', big]])[0]);
  assert.equal(err.error.code, 'too_large');
  assert.equal(err.error.path, '$.context');
});

test('flk hrs score writes one {id, score} line per example, equal to hrs.score in wasm', { skip: noData }, async () => {
  const lines = [];
  for (const f of readdirSync(dataDir).filter((n) => n.endsWith('.jsonl')).sort())
    lines.push(...readFileSync(`${dataDir}/${f}`, 'utf8').split('\n').filter(Boolean).slice(0, 40));
  writeFileSync(`${tmp}/in.jsonl`, lines.join('\n') + '\n');
  const r = run(['hrs', 'score', '--in', `${tmp}/in.jsonl`, '--out', `${tmp}/preds.jsonl`]);
  assert.equal(r.status, 0, r.stderr);
  const preds = readFileSync(`${tmp}/preds.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(preds.length, lines.length);
  const e = await engines();
  const calls = lines.map((l) => {
    const { question, context, answer, task } = JSON.parse(l);
    return ['hrs.score', JSON.stringify({ question, context, answer, task, reasons: 0 })];
  });
  const wasm = e.wasm(calls).map((o) => JSON.parse(o).probability);
  preds.forEach((p, i) => {
    assert.deepEqual(Object.keys(p), ['id', 'score']);
    assert.equal(p.id, JSON.parse(lines[i]).id);
    assert.ok(p.score >= 0 && p.score <= 1);
    assert.equal(p.score, wasm[i]);
  });
  // A line without an answer is a typed error naming the line.
  writeFileSync(`${tmp}/bad.jsonl`, '{"id":"a","answer":"ok"}\n{"id":"b","question":"?"}\n');
  const bad = run(['hrs', 'score', '--in', `${tmp}/bad.jsonl`, '--out', `${tmp}/bad.out`]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.jsonl:2/);
  assert.equal(JSON.parse(bad.stdout).error.code, 'missing_field');
});

test('hrs.train: a set of one example trains (its baselines say 0.5); many small sets are too_large', () => {
  const examples = Array.from({ length: 60 }, (_, i) => ({
    source: i === 0 ? 'lone' : 'main',
    question: `What is item ${i}?`,
    context: `Item ${i} is a red box.`,
    answer: i % 2 ? `Item ${i} is a blue ball.` : `It is a red box.`,
    label: i % 2,
  }));
  const out = call('hrs.train', { examples, bags: 1, trees: 5, folds: 2, lexical_bits: 8 });
  assert.ok(out.model, JSON.stringify(out).slice(0, 300));
  const lone = out.model.card.cv_metrics.baseline_length.lone;
  assert.equal(lone.examples, 1);
  assert.ok(Number.isFinite(lone.ece));
  const pairs = Array.from({ length: 2200 }, (_, i) => ({ answer: `a${i}`, label: i % 2, source: `s${i >> 1}` }));
  assert.equal(call('hrs.train', { examples: pairs, folds: 2 }).error.path, '$.examples');
});

test('hrs.train balance_labels: a set\'s base rate is not learnt from its answers\' wording', () => {
  // Two sets whose answers differ only in wording and length, hallucinated at 15 % and 85 %, and
  // nothing else to tell the labels apart: unbalanced, the scorer learns which set an answer looks
  // like; balanced, both score alike.
  const examples = Array.from({ length: 400 }, (_, i) => {
    const long = i % 2 === 0;
    const k = i >> 1;
    return {
      source: long ? 'essays' : 'facts',
      answer: long ? `The report describes many details about harbour ${k} and its several busy winter markets.` : `Harbour ${k}`,
      label: (k * 37) % 100 < (long ? 15 : 85) ? 1 : 0,
    };
  });
  const gap = (balance_labels) => {
    const model = call('hrs.train', { examples, bags: 1, trees: 20, folds: 3, lexical_bits: 10, balance_labels }).model;
    assert.equal(model.card.training_config.balance_labels, balance_labels);
    const batch = [
      ['hrs.model_load', { model }],
      ['hrs.score', { answer: 'The report describes many details about harbour 900 and its several busy winter markets.', model_id: model.id, reasons: 0 }],
      ['hrs.score', { answer: 'Harbour 900', model_id: model.id, reasons: 0 }],
    ];
    const out = run(['batch'], batch.map(([op, input]) => JSON.stringify({ op, input })).join('\n') + '\n')
      .stdout.trim().split('\n').map((l) => JSON.parse(l));
    return out[2].probability - out[1].probability;
  };
  assert.ok(gap(false) > 0.4, 'unbalanced: the short form reads as the set hallucinated more often');
  assert.ok(Math.abs(gap(true)) < 0.1, 'balanced: no base rate to learn');
});

test('model registry: load by hash, integrity, A/B routing, eval and drift', async () => {
  const text = readFileSync(`${root}core/hrs/default_model.json`, 'utf8');
  const model = JSON.parse(text);
  // A second model, trained through the facade on a small synthetic set.
  const examples = [];
  for (let i = 0; i < 120; i++) {
    const bad = i % 2 === 1;
    examples.push({
      source: i % 3 ? 'a' : 'b',
      question: `What is item ${i % 40}?`,
      context: `Item ${i % 40} is a red box made in ${1900 + (i % 40)}.`,
      answer: bad ? `Item ${i % 40} is a blue ball made in ${2000 + i}.` : `It is a red box made in ${1900 + (i % 40)}.`,
      label: bad ? 1 : 0,
    });
  }
  const script = [
    ['hrs.train', { examples, bags: 2, trees: 10, folds: 3, lexical_bits: 10 }],
  ];
  const trained = call(...script[0]).model;
  assert.match(trained.id, /^[0-9a-f]{64}$/);
  // Training is deterministic across builds too: the same model, byte for byte, from wasm and WASI.
  const e = await engines();
  const trainInput = JSON.stringify(script[0][1]);
  const native = e.native([['hrs.train', trainInput]])[0];
  assert.equal(e.wasm([['hrs.train', trainInput]])[0], native);
  assert.equal(e.wasi_reactor([['hrs.train', trainInput]])[0], native);
  assert.ok(trained.card.cv_metrics.hrs.all.auroc > 0.9);
  // Registry state lives in one engine: use a batch.
  const tampered = structuredClone(model);
  tampered.lexical.bias += 1e-9;
  const batch = [
    ['hrs.model_load', { model }],
    ['hrs.model_load', { model: trained }],
    ['hrs.model_load', { model: tampered }],
    ['hrs.ab_set', { control: model.id, treatment: trained.id, traffic_split: 0.5 }],
    ...Array.from({ length: 40 }, (_, i) => ['hrs.score', { answer: 'It is a red box.', route_key: `user-${i}`, reasons: 0 }]),
    ['hrs.route', { key: 'user-7' }],
    ['hrs.models', {}],
    ['hrs.eval', { examples, model_id: trained.id }],
    ['hrs.drift', { examples: examples.map(({ label, source, ...x }) => ({ ...x, label })), model_id: trained.id }],
    ['hrs.drift', { examples: examples.map(({ question, answer }) => ({ question, answer: answer + ' ' + answer })), model_id: trained.id }],
  ];
  const r = run(['batch'], batch.map(([op, input]) => JSON.stringify({ op, input })).join('\n') + '\n');
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out[0].model_id, model.id);
  assert.equal(out[0].default, true);
  assert.equal(out[1].model_id, trained.id);
  assert.equal(out[2].error.code, 'integrity');
  const scored = out.slice(4, 44);
  const arms = new Set(scored.map((s) => s.arm));
  assert.deepEqual([...arms].sort(), ['control', 'treatment']);
  for (const s of scored) assert.equal(s.model_id, s.arm === 'control' ? model.id : trained.id);
  const route = out[44];
  assert.equal(route.arm, scored[7].arm);
  assert.equal(out[45].models.length, 2);
  assert.equal(out[45].experiment.traffic_split, 0.5);
  const ev = out[46];
  assert.ok(ev.sets.all.auroc > 0.9);
  assert.ok(ev.sets.a.roc.length >= 2 && ev.sets.a.pr.length >= 1);
  assert.deepEqual(ev.sets.a.roc.at(-1).slice(0, 2), [1, 1]);
  const same = out[47], shifted = out[48];
  assert.ok(same.drifted <= 3, `in-distribution drift flags: ${same.drifted}`);
  assert.ok(typeof same.auroc.auroc === 'number');
  assert.ok(shifted.drifted >= 3, `shifted drift flags: ${shifted.drifted}`);
  assert.equal(shifted.features.has_context.drift, true);
});

test('the committed default model is exactly what `flk hrs train` makes from the shared data', { skip: noData }, () => {
  const out = `${tmp}/retrained.json`;
  const r = run(['hrs', 'train', '--data', dataDir, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const got = readFileSync(out, 'utf8');
  const want = readFileSync(`${root}core/hrs/default_model.json`, 'utf8');
  assert.equal(JSON.parse(got).id, JSON.parse(want).id);
  assert.equal(got, want);
});

test('task, model kind and calibration method are choices: out_of_range names every choice', () => {
  const tasks = 'qa, rag, dialogue or summarization';
  const score = call('hrs.score', { answer: 'x', task: 'poetry' }).error;
  assert.deepEqual(score, { code: 'out_of_range', message: `$.task must be ${tasks}`, path: '$.task' });
  const example = { answer: 'x', label: 1, task: 'Rag' };
  const train = call('hrs.train', { examples: [example, { ...example, task: 'rag', label: 0 }] }).error;
  assert.deepEqual(train, { code: 'out_of_range', message: `$.examples[0].task must be ${tasks}`, path: '$.examples[0].task' });
  const risk = call('ensemble.risk', { answer: 'x', task: 7 }).error;
  assert.equal(risk.code, 'wrong_type');
  assert.equal(risk.path, '$.task');
  const model = JSON.parse(readFileSync(`${root}core/hrs/default_model.json`, 'utf8'));
  const method = call('hrs.model_load', { model: { ...model, calibration: { ...model.calibration, method: 'beta' } } }).error;
  assert.deepEqual(method, { code: 'out_of_range', message: '$.model.calibration.method must be platt or isotonic',
    path: '$.model.calibration.method' });
  const kind = call('hrs.model_load', { model: { ...model, kind: 'forest' } }).error;
  assert.deepEqual(kind, { code: 'out_of_range', message: '$.model.kind must be logistic or gbt', path: '$.model.kind' });
  // A model trained on an earlier meaning of the features is refused, not scored with today's.
  const old = call('hrs.model_load', { model: { ...model, feature_schema: 'hrs-features/3' } }).error;
  assert.deepEqual(old, { code: 'unsupported', path: '$.model.feature_schema',
    message: `$.model.feature_schema is "hrs-features/3", this build computes ${model.feature_schema}` });
});

test('hrs.support: bounded per-sentence output; invalid UTF-8 is a typed error', () => {
  const answer = Array.from({ length: 500 }, (_, i) => `Sentence ${i} names Paris.`).join(' ');
  const out = call('hrs.support', { context: 'Paris is the capital of France.', answer });
  assert.equal(out.answer_sentences, 500);
  assert.equal(out.truncated, true);
  assert.equal(out.sentences.length, 64); // the 64th entry covers the rest of the answer
  assert.equal(out.sentences[63].answer[1], Buffer.byteLength(answer) - 1);
  const bad = Buffer.concat([Buffer.from('{"context":"abc","answer":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"}')]);
  const r = spawnSync(flk, ['call', 'hrs.support'], { input: bad, encoding: 'utf8' });
  assert.equal(JSON.parse(r.stdout).error.code, 'bad_json');
});

test('flk hrs eval --probes reports the form probes next to the per-set metrics', () => {
  const context = 'The Eiffel Tower was finished in March 1889. It is 330 metres tall.';
  const rows = [
    { answer: '1889', label: 0 },
    { answer: '330 metres', label: 0 },
    { answer: 'The Eiffel Tower was finished in March 1899 by the city.', label: 1 },
    { answer: 'The Eiffel Tower is 450 metres tall and painted gold.', label: 1 },
  ].map((r, i) => ({ id: `p${i}`, source: 'probe', task: 'qa', question: 'What about the Eiffel Tower?', context, ...r }));
  writeFileSync(`${tmp}/probes.jsonl`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = run(['hrs', 'eval', '--data', `${tmp}/probes.jsonl`, '--probes']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.sets.probe.examples, 4);
  assert.equal(out.probes.period_toggled.probe.changed, 4);
  assert.equal(out.probes.span_as_sentence.probe.changed, 2);
  assert.equal(out.probes.context_sentence.probe.changed, 2);
  assert.equal(out.probes.forms_swapped.probe.changed, 4);
  assert.match(r.stderr, /\| forms_swapped \| probe \| 4 \|/);
});
