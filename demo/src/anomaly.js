// Anomaly page: anomaly.fit on the head of a real NAB series, anomaly.score on all of it, and
// anomaly.feedback from labelling clicks, whose sweep moves the threshold the flags are drawn at.
import nab from '../data/nab.json';
import { chart } from './chart.js';
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, clearErrors, fieldError, fmt, h, show, showError, table } from './ui.js';

layout('Anomaly');
$('#series-name').textContent = nab.series;

// Sweep constraints for the demo's few labels (the op's defaults, FPR ≤ 0.02 and TPR ≥ 0.95 over
// 100 items, are for production feedback volumes).
const SWEEP = { reoptimise_every: 1, min_items: 6, max_fpr: 0.1, min_tpr: 0.5 };
const REVIEW = 40;
const sec = (s) => Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;
const windows = nab.windows.map(([a, b]) => [sec(a), sec(b)]);
const inWindow = nab.times.map((t) => windows.some(([a, b]) => t >= a && t <= b));
const when = (t) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');

let scored = null;
let feedback = null;
let threshold = 0.5;

function draw() {
  const flagged = scored.scores.map((s) => s >= threshold);
  const count = flagged.filter(Boolean).length;
  const hits = flagged.filter((f, i) => f && inWindow[i]).length;
  const out = show('#result',
    h('p', {}, 'Threshold ', h('strong', { id: 'threshold' }, fmt(threshold, 4)), ': ',
      h('strong', { id: 'flagged' }, String(count)), ` of ${nab.values.length} points flagged, ${hits} of them inside NAB's labelled windows.`));
  chart(out, {
    title: 'Request latency with flagged points',
    summary: `${count} flagged points; NAB labels ${windows.length} anomaly windows.`,
    x: nab.times, yLabel: 'latency',
    series: [
      { label: 'value', values: nab.values, width: 1 },
      { label: 'flagged', values: nab.values.map((v, i) => (flagged[i] ? v : null)), color: '#b91c1c', points: true },
    ],
  });
  chart(out, {
    title: 'Detector score, threshold and NAB windows',
    summary: `Scores in [0, 1); threshold ${fmt(threshold, 4)}.`,
    x: nab.times, yLabel: 'score', scales: { y: { range: [0, 1] } },
    series: [
      { label: 'score', values: scored.scores, width: 1 },
      { label: 'threshold', values: nab.times.map(() => threshold), color: '#b91c1c', dash: [6, 4] },
      { label: 'NAB window', values: inWindow.map((w) => (w ? 1 : null)), color: '#fca5a5', fill: 'rgba(252,165,165,0.25)', width: 0 },
    ],
  });
}

// pairs: [row index, 'anomaly' | 'normal']; feedback ids are the row's time and index.
async function label(pairs, button) {
  const items = pairs.map(([i, lab]) => ({ id: `${nab.times[i]}:${i}`, score: scored.scores[i], label: lab }));
  await busy(button, async () => {
    const input = feedback ? { items, state: feedback.state } : { items, threshold, ...SWEEP };
    try {
      feedback = await call('anomaly.feedback', input);
    } catch (e) {
      fieldError($('#feedback-status'), e);
      return;
    }
    for (const [i, lab] of pairs) document.getElementById(`label-${i}`).textContent = lab;
    threshold = feedback.threshold;
    const c = feedback.confusion;
    show('#feedback-status', `${feedback.state.items.length} labelled; at threshold ${fmt(threshold, 4)}: TP ${c.tp}, FP ${c.fp}, TN ${c.tn}, FN ${c.fn}. `,
      feedback.sweep ? h('span', { id: 'sweep' }, feedback.sweep.message) : '');
    draw();
  });
}

function reviewList() {
  const top = scored.scores.map((s, i) => i).sort((a, b) => scored.scores[b] - scored.scores[a]).slice(0, REVIEW).sort((a, b) => a - b);
  show('#feedback', h('h2', {}, 'Feedback'),
    h('p', { class: 'note' }, `The ${REVIEW} highest scores. Sweep: FPR ≤ ${SWEEP.max_fpr}, TPR ≥ ${SWEEP.min_tpr}, from ${SWEEP.min_items} labels, after every label.`),
    h('button', { type: 'button', id: 'label-all', onclick: (ev) => label(top.map((i) => [i, inWindow[i] ? 'anomaly' : 'normal']), ev.currentTarget) },
      'Label all as NAB\'s windows say'),
    h('p', { id: 'feedback-status', 'aria-live': 'polite' }),
    table(['time (UTC)', 'value', 'score', 'in a NAB window', 'your label'], top.map((i) => [
      when(nab.times[i]), fmt(nab.values[i], 2), fmt(scored.scores[i]), inWindow[i] ? 'yes' : 'no',
      h('span', {},
        h('button', { type: 'button', class: 'mark-anomaly', 'aria-label': `${when(nab.times[i])} is an anomaly`, onclick: (ev) => label([[i, 'anomaly']], ev.currentTarget) }, 'anomaly'),
        h('button', { type: 'button', class: 'mark-normal', 'aria-label': `${when(nab.times[i])} is normal`, onclick: (ev) => label([[i, 'normal']], ev.currentTarget) }, 'normal'),
        h('output', { id: `label-${i}`, class: 'given-label' })),
    ])));
}

const form = $('#fit-form');
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(form);
  const n = $('#train-rows').value === '' ? 0 : Number($('#train-rows').value);
  const rows = nab.values.map((v) => [v]);
  busy($('#fit'), async () => {
    try {
      const fit = await call('anomaly.fit', { rows: rows.slice(0, n), times: nab.times.slice(0, n), order: 'keep', detector: $('#detector').value });
      scored = await call('anomaly.score', { model: fit.model, rows, times: nab.times, order: 'keep' });
      threshold = scored.threshold;
      feedback = null;
      draw();
      reviewList();
    } catch (e) {
      show('#result');
      show('#feedback');
      showError(form, e);
    }
  });
});
form.requestSubmit();
