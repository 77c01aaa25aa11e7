// Verify page: hrs.score (probability, interval, band), routing.decide, ensemble.verify (voters)
// and hrs.support (sentences by support with their source spans) on one question/context/answer.
import examples from '../data/examples.json';
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, checkLimits, clearErrors, fmt, h, limitField, show, showError, table } from './ui.js';

layout('Verify');

// The ensemble gate's bounds (docs/ensemble.md, "Limits"), the tighter of it and hrs.score.
const LIMITS = { question: 64 << 10, context: 4 << 20, answer: 64 << 10 };
for (const [id, max] of Object.entries(LIMITS)) limitField($(`#${id}`), max);

const form = $('#verify-form');

for (const ex of examples)
  $('#examples').append(h('button', {
    type: 'button',
    onclick: () => {
      for (const k of ['question', 'context', 'answer']) $(`#${k}`).value = ex[k];
      form.requestSubmit();
    },
  }, `${ex.source} · ${ex.label ? 'hallucinated' : 'faithful'} (label ${ex.label})`));

const utf8 = new TextEncoder();
const decoder = new TextDecoder();
const slice = (bytes, [a, b]) => decoder.decode(bytes.subarray(a, b));
const supportClass = (s) => (s >= 0.7 ? 's-high' : s >= 0.4 ? 's-mid' : 's-low');

function sentencesView(input, support) {
  const answer = utf8.encode(input.answer);
  const context = utf8.encode(input.context);
  const parts = [];
  let at = 0;
  for (const s of support.sentences) {
    parts.push(slice(answer, [at, s.answer[0]]));
    parts.push(h('mark', { class: supportClass(s.support), title: `support ${fmt(s.support, 2)}` }, slice(answer, s.answer)));
    at = s.answer[1];
  }
  parts.push(slice(answer, [at, answer.length]));
  const rows = support.sentences.map((s, i) => [
    String(i + 1), fmt(s.support, 2),
    s.source ? h('q', {}, slice(context, s.source)) : 'no context sentence',
    s.mismatch.length ? s.mismatch.join(', ') : 'none',
  ]);
  return [
    h('h2', {}, 'Answer sentences by support'),
    h('p', { class: 'note' }, 'green ≥ 0.7, yellow ≥ 0.4, red below; offsets are the core\'s UTF-8 byte ranges.'),
    h('div', { class: 'answer-text', id: 'highlighted' }, parts),
    support.truncated ? h('p', { class: 'note' }, 'More than 64 sentences: the 64th entry spans the rest of the answer.') : null,
    table(['#', 'support', 'best matching source span', 'mismatch'], rows, `${support.answer_sentences} sentence(s), mean support ${fmt(support.mean_support, 2)}`),
  ];
}

function votersView(v) {
  const rows = v.votes.map((x) => [x.voter, x.status, x.score == null ? '—' : fmt(x.score), x.vote, x.contribution == null ? '—' : fmt(x.contribution, 2)]);
  return [
    h('h2', {}, 'Ensemble gate'),
    h('p', {}, 'Decision: ', h('strong', { id: 'decision' }, v.decision), ` (${v.method}, ${v.quorum.flags} flag(s) of ${v.quorum.counted} counted, ${v.quorum.n} needed)`),
    table(['voter', 'status', 'score', 'vote', 'contribution'], rows, 'Voters'),
  ];
}

// With FLK_SERVER given to the dev server: the same input scored by that flk-server, whose answer
// should be the same bytes as the browser's.
async function serverScore(input, local) {
  const sec = h('section', { 'aria-live': 'polite' }, h('h2', {}, `flk-server at ${__FLK_SERVER__}`));
  $('#result').append(sec);
  try {
    const res = await fetch('flk-server/v1/hrs/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const got = await res.json();
    if (!res.ok) throw new Error(got.error ? `${got.error.code} ${got.error.message}` : `HTTP ${res.status}`);
    const same = got.probability === local.probability && got.interval.every((x, i) => x === local.interval[i]);
    sec.append(h('p', {}, 'probability ', h('strong', { id: 'server-probability' }, fmt(got.probability)), `, interval ${fmt(got.interval[0])} – ${fmt(got.interval[1])}: `,
      h('strong', { id: 'server-same' }, same ? 'the same as in this browser' : 'differs from this browser')));
  } catch (e) {
    sec.append(h('p', { class: 'field-error', role: 'alert' }, `cannot reach it: ${e.message}`));
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(form);
  if (!checkLimits(form)) return;
  const input = { question: $('#question').value, context: $('#context').value, answer: $('#answer').value };
  busy($('#verify'), async () => {
    try {
      const [score, support, gate] = await Promise.all([call('hrs.score', input), call('hrs.support', input), call('ensemble.verify', input)]);
      const route = await call('routing.decide', { risk: score.probability });
      show('#result',
        h('h2', {}, 'Hallucination risk'),
        h('dl', { class: 'kv' },
          h('dt', {}, 'probability'), h('dd', { id: 'probability' }, fmt(score.probability)),
          h('dt', {}, '95 % interval'), h('dd', { id: 'interval' }, `${fmt(score.interval[0])} – ${fmt(score.interval[1])}`),
          h('dt', {}, 'band'), h('dd', { id: 'band' }, score.band),
          h('dt', {}, 'routing action'), h('dd', { id: 'action' }, route.action),
          h('dt', {}, 'model'), h('dd', {}, score.model_id)),
        table(['feature', 'value', 'contribution'], score.reasons.map((r) => [r.feature, fmt(r.value), fmt(r.contribution)]), 'Top reasons'),
        votersView(gate),
        sentencesView(input, support));
      if (__FLK_SERVER__) await serverScore(input, score);
    } catch (e) {
      show('#result');
      showError(form, e);
    }
  });
});
