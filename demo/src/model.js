// Model page: the default scorer's card (hrs.models), hrs.eval per data set on the shipped sample
// (ROC, PR, AUROC, AUPRC, ECE, Brier) and a reliability plot from hrs.score's probabilities.
import sample from '../data/eval-sample.json';
import { chart } from './chart.js';
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, fieldError, fmt, h, show, table } from './ui.js';

layout('Model');

const GRID = Array.from({ length: 101 }, (_, i) => i / 100);
const BINS = 10;

// ROC as a step function: the best TPR at FPR ≤ x (exact for the points hrs.eval returns).
const rocOnGrid = (roc) => GRID.map((x) => Math.max(0, ...roc.filter(([fpr]) => fpr <= x + 1e-12).map(([, tpr]) => tpr)));
// Interpolated precision: the best precision at recall ≥ x (null past the last recall).
const prOnGrid = (pr) => GRID.map((x) => {
  const p = pr.filter(([recall]) => recall >= x - 1e-12).map(([, precision]) => precision);
  return p.length ? Math.max(...p) : null;
});

// Observed hallucination rate per probability bin (null for empty bins).
function reliability(probs, labels) {
  const n = Array(BINS).fill(0);
  const pos = Array(BINS).fill(0);
  probs.forEach((p, i) => {
    const b = Math.min(BINS - 1, Math.floor(p * BINS));
    n[b] += 1;
    pos[b] += labels[i];
  });
  return n.map((c, b) => (c ? pos[b] / c : null));
}

async function evaluate() {
  const models = await call('hrs.models', {});
  const card = models.models.find((m) => m.default) ?? models.models[0];
  show('#card', h('h2', {}, 'Card'), h('dl', { class: 'kv' },
    h('dt', {}, 'model id'), h('dd', { id: 'model-id' }, h('code', {}, card.model_id)),
    h('dt', {}, 'kind'), h('dd', {}, `${card.kind}, ${card.members} members`),
    h('dt', {}, 'calibration'), h('dd', {}, card.calibration)));
  const ev = await call('hrs.eval', { examples: sample });
  const names = Object.keys(ev.sets).filter((k) => k !== 'all');
  const probs = {};
  for (const e of sample) {
    const { probability } = await call('hrs.score', { question: e.question, context: e.context, answer: e.answer, task: e.task });
    (probs[e.source] ??= { p: [], y: [] }).p.push(probability);
    probs[e.source].y.push(e.label);
  }
  const rows = ['all', ...names].map((k) => {
    const s = ev.sets[k];
    return [k, s.examples, s.positives, fmt(s.auroc), fmt(s.auprc), fmt(s.ece), fmt(s.brier)];
  });
  const out = show('#curves', table(['set', 'examples', 'hallucinated', 'AUROC', 'AUPRC', 'ECE', 'Brier'], rows, 'Metrics per data set (hrs.eval)'));
  out.querySelector('table').id = 'metrics';
  const opts = { time: false, height: 300 };
  chart(out, { ...opts, title: 'ROC per data set', summary: names.map((k) => `${k} AUROC ${fmt(ev.sets[k].auroc)}`).join(', '), x: GRID, xLabel: 'false positive rate', yLabel: 'true positive rate',
    series: [...names.map((k) => ({ label: k, values: rocOnGrid(ev.sets[k].roc) })), { label: 'chance', values: GRID, color: '#999', dash: [4, 4] }] });
  chart(out, { ...opts, title: 'Precision–recall per data set', summary: names.map((k) => `${k} AUPRC ${fmt(ev.sets[k].auprc)}`).join(', '), x: GRID, xLabel: 'recall', yLabel: 'precision',
    series: names.map((k) => ({ label: k, values: prOnGrid(ev.sets[k].pr) })) });
  const centers = Array.from({ length: BINS }, (_, b) => (b + 0.5) / BINS);
  chart(out, { ...opts, title: 'Calibration: observed hallucination rate per predicted-probability bin', summary: names.map((k) => `${k} ECE ${fmt(ev.sets[k].ece)}`).join(', '), x: centers, xLabel: 'predicted probability (bin centre)', yLabel: 'observed rate',
    series: [...names.map((k) => ({ label: k, values: reliability(probs[k].p, probs[k].y), markers: true })), { label: 'perfect', values: centers, color: '#999', dash: [4, 4] }] });
}

const run = (button) => busy(button, () => evaluate().catch((e) => fieldError($('#model-general'), e)));
$('#evaluate').addEventListener('click', (ev) => run(ev.currentTarget));
run($('#evaluate'));
