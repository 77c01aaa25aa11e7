// The ensemble gate across front doors: flk.verify in both JS engines gives the native bytes,
// `flk verify --in` answers one line per request (a bad line is a typed error line, exit 2),
// and `flk ensemble eval` writes the parameters the build embeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createFlk } from '../../js/index.mjs';
import { flkBin, root } from './engines.mjs';

const tmp = mkdtempSync(`${tmpdir()}/flk-ensemble-`);
const run = (args, input) => spawnSync(flkBin, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
const request = {
  question: 'When was the tower finished?',
  context: 'The Eiffel Tower was finished in March 1889 for the World Fair.',
  answer: 'It was finished in 1899.',
  citations: [{ answer: [0, 23], source: [0, 62] }],
  samples: ['It was finished in 1889.', 'Finished in March 1889.'],
  policy: { voters: ['risk', 'grounding', 'citation_overlap', 'micro_vote', 'self_consistency'], on_timeout: 'fail_closed', deadline_us: { self_consistency: 1 } },
};

test('flk.verify gives the native answer in both engines', async () => {
  const native = run(['call', 'ensemble.verify'], JSON.stringify(request)).stdout.trim();
  assert.equal(JSON.parse(native).decision, 'reject'); // self_consistency past its deadline, fail_closed
  for (const engine of ['wasm', 'wasi']) {
    const flk = await createFlk({ engine });
    assert.equal(JSON.stringify(flk.verify(request)), JSON.stringify(JSON.parse(native)), engine);
    assert.throws(() => flk.verify({ ...request, extra: 1 }), (e) => e.code === 'unknown_field' && e.path === '$.extra');
  }
});

test('flk verify --in: one answer line per request, typed errors for bad lines', () => {
  const lines = [
    JSON.stringify(request),
    JSON.stringify({ answer: 'Hamlet was written by Shakespeare.', question: 'Who wrote Hamlet?' }),
    JSON.stringify({ answer: 'x', citations: [{ answer: [0, 1], source: [0, 5] }], id: 'c' }),
    '{not json',
    JSON.stringify({ id: 'e', answer: 'Hamlet was written by Shakespeare.', question: 'Who wrote Hamlet?' }),
    JSON.stringify({ id: 5, answer: 'x' }),
  ];
  writeFileSync(`${tmp}/requests.jsonl`, lines.join('\n') + '\n');
  writeFileSync(`${tmp}/policy.json`, JSON.stringify({ n: 1, voters: ['risk'] }));
  const r = run(['verify', '--in', `${tmp}/requests.jsonl`, '--policy', `${tmp}/policy.json`]);
  assert.equal(r.status, 2, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 6);
  assert.equal(out[0].decision, 'reject'); // its own policy wins over --policy
  assert.equal(out[1].votes.length, 1); // --policy: risk alone, 1-of-1
  assert.equal(out[1].id, undefined);
  assert.equal(out[2].error.path, '$.citations[0].source');
  assert.equal(out[2].id, 'c'); // a line's id comes back on its answer, errors too
  assert.equal(out[3].error.code, 'bad_json');
  assert.equal(out[4].id, 'e');
  assert.deepEqual({ ...out[4], id: undefined }, { ...out[1], id: undefined }); // the id is not part of the request
  assert.equal(out[5].error.path, '$.id');
  assert.match(r.stderr, /6 requests: .* 3 errors/);
});

const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const qa = `${shared}/data/halueval_qa.jsonl`;
test('flk ensemble eval is deterministic and reports the scorer against the ensemble', { skip: existsSync(qa) ? false : 'no shared data' }, () => {
  const a = run(['ensemble', 'eval', '--data', qa, '--folds', '3', '--out', `${tmp}/a.json`, '--report', `${tmp}/r.json`]);
  assert.equal(a.status, 0, a.stderr);
  const b = run(['ensemble', 'eval', '--data', qa, '--folds', '3', '--out', `${tmp}/b.json`]);
  assert.equal(readFileSync(`${tmp}/a.json`, 'utf8'), readFileSync(`${tmp}/b.json`, 'utf8'));
  const report = JSON.parse(readFileSync(`${tmp}/r.json`, 'utf8'));
  const s = report.sets.halueval_qa;
  assert.equal(s.examples, 716);
  assert.equal(s.escalated, 72);
  assert.ok(s.escaped_risk <= s.positives && s.escaped_ensemble <= s.positives);
  assert.ok(s.auroc_voters.grounding > 0.8, JSON.stringify(s.auroc_voters));
  assert.ok(s.cost.ensemble_us_per_request >= s.cost.risk_us_per_request);
  assert.match(a.stdout, /\| halueval_qa \| 716 \(358\) \| 72 \|/);
});

// Two folds leave the stacker's inner folds empty, and closed-book data leaves the micro-vote without
// rows: both once made NaN parameters (a typed overflow error instead of a report).
test('flk ensemble eval refuses 2 folds and fits closed-book data', { skip: existsSync(qa) ? false : 'no shared data' }, () => {
  const few = `${tmp}/closed-book.jsonl`;
  writeFileSync(few, readFileSync(`${shared}/data/truthfulqa.jsonl`, 'utf8').split('\n').slice(0, 300).join('\n') + '\n');
  const two = run(['ensemble', 'eval', '--data', few, '--folds', '2']);
  assert.equal(two.status, 1);
  assert.match(two.stderr, /--folds takes an integer from 3 to 10, got "2"/);
  const r = run(['ensemble', 'eval', '--data', few, '--folds', '3', '--out', `${tmp}/cb.json`]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const micro = JSON.parse(readFileSync(`${tmp}/cb.json`, 'utf8')).micro_vote;
  assert.ok(micro.weight.every((w) => w === 0) && micro.center.every(Number.isFinite), JSON.stringify(micro));
});

test('flk verify --policy takes an EnsemblePolicy document and refuses another kind', () => {
  const req = `${tmp}/one.jsonl`;
  writeFileSync(req, JSON.stringify({ id: 'a', context: 'The Eiffel Tower was finished in March 1889.', answer: 'It was finished in 1889.' }) + '\n');
  const ok = run(['verify', '--in', req, '--policy', `${root}tests/data/policy/ensemble.json`]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const d = JSON.parse(ok.stdout);
  assert.equal(d.id, 'a');
  assert.deepEqual(d.votes.map((v) => v.voter), ['risk', 'grounding', 'citation_overlap']);  // the document's voters
  const other = run(['verify', '--in', req, '--policy', `${root}tests/data/policy/routing.json`]);
  assert.equal(other.status, 2);
  assert.equal(JSON.parse(other.stdout).error.path, '$.policy.kind');
});
