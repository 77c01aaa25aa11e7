// Policy page: policy.simulate replays the recorded trace through the edited candidate and
// compares it with the baseline (the policy that recorded the trace, or the recorded actions).
import baselinePolicy from '../data/policy-routing.json';
import candidatePolicy from '../data/policy-routing-strict.json';
import traceText from '../data/policy-trace.jsonl?raw';
import { chart } from './chart.js';
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, checkLimits, clearErrors, fieldError, fmt, h, limitField, show, showError, table } from './ui.js';

layout('Policy');

const trace = traceText.trim().split('\n').map((l) => JSON.parse(l));
$('#trace-size').textContent = String(trace.length);
$('#policy').value = JSON.stringify(candidatePolicy, null, 2);
limitField($('#policy'), 64 << 10);

const signed = (x, digits) => `${x > 0 ? '+' : ''}${fmt(x, digits)}`;
// Four decimals: the trace's per-request costs go down to $0.001, so $2.02 vs $2.02 would hide the delta.
const dollars = (x) => `$${fmt(x, 4)}`;

function drawTrace(changed) {
  show('#trace', table(['id', 'tenant', 'risk', 'confidence', 'recorded action', 'label', 'changed'], trace.map((r) => [
    r.id, r.tenant, fmt(r.risk, 2), fmt(r.confidence, 2), r.action, r.label ?? '—', changed.has(r.id) ? 'yes' : '',
  ])));
}

function draw(rep) {
  const names = [...new Set([...Object.keys(rep.actions.baseline), ...Object.keys(rep.actions.candidate)])].sort();
  const count = (side, a) => rep.actions[side][a] ?? 0;
  const lc = rep.labelled_changes;
  const against = rep.baseline ? `${rep.baseline.name} v${rep.baseline.version}` : 'the recorded actions';
  show('#report', h('h2', {}, 'Deltas'),
    h('p', {}, `${rep.policy.name} v${rep.policy.version} against ${against}: `,
      h('strong', { id: 'changed' }, String(rep.changed)), ` of ${rep.requests} decisions change`,
      rep.not_governed ? `; ${rep.not_governed} requests are outside its selector and keep the baseline action` : '', '.'),
    table(['', 'baseline', 'candidate', 'delta'], [
      ['escalation (human review or reject)', h('span', { id: 'escalation-before' }, fmt(rep.escalation.baseline)),
        h('span', { id: 'escalation-after' }, fmt(rep.escalation.candidate)), signed(rep.escalation.delta, 3)],
      [`containment (of ${rep.containment.hallucinated} hallucinated answers, share not served)`, h('span', { id: 'containment-before' }, fmt(rep.containment.baseline)),
        h('span', { id: 'containment-after' }, fmt(rep.containment.candidate)), signed(rep.containment.delta, 3)],
      ['cost (USD)', dollars(rep.cost_usd.baseline), dollars(rep.cost_usd.candidate), h('span', { id: 'cost-delta' }, signed(rep.cost_usd.delta, 4))],
    ], 'Before and after'),
    rep.cost_usd.unknown ? h('p', { class: 'note' }, `${rep.cost_usd.unknown} records lack a cost for one side and are left out of both sums.`) : null,
    h('div', { id: 'actions' }, table(['action', 'baseline', 'candidate', 'delta'],
      names.map((a) => [a, String(count('baseline', a)), String(count('candidate', a)), signed(count('candidate', a) - count('baseline', a), 0)]), 'Decisions per action')),
    h('div', { id: 'actions-chart' }),
    h('div', { id: 'transitions' }, table(['from → to', 'requests'],
      Object.entries(rep.transitions).map(([t, n]) => [t.replace('->', ' → '), String(n)]), 'Decisions changed')),
    h('div', { id: 'labelled' }, table(['labelled outcome', 'requests'], [
      ['hallucinated, now contained', String(lc.newly_contained)], ['hallucinated, now served', String(lc.newly_served_hallucinated)],
      ['fine, now escalated', String(lc.newly_escalated_fine)], ['fine, now served', String(lc.newly_served_fine)],
    ], 'Labelled outcomes changed')),
    h('p', {}, 'Changed requests: ', h('span', { id: 'changed-ids' }, rep.changed_ids.join(' ') || 'none')));
  const most = Math.max(...names.map((a) => Math.max(count('baseline', a), count('candidate', a))));
  chart($('#actions-chart'), {
    title: 'Decisions per action, baseline and candidate', categories: names, xLabel: 'action', yLabel: 'requests', height: 220,
    summary: names.map((a) => `${a} ${count('baseline', a)} → ${count('candidate', a)}`).join(', '),
    scales: { y: { range: [0, most + 1] } },
    series: [
      { label: 'baseline', values: names.map((a) => count('baseline', a)), bar: -1, fill: '#1f6fb2aa' },
      { label: 'candidate', values: names.map((a) => count('candidate', a)), bar: 1, color: '#c2410c', fill: '#c2410caa' },
    ],
  });
  drawTrace(new Set(rep.changed_ids));
}

const form = $('#policy-form');
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(form);
  if (!checkLimits(form)) return;
  let policy;
  try {
    policy = JSON.parse($('#policy').value);
  } catch (e) {
    fieldError($('#policy'), { code: 'bad_json', message: `not JSON: ${e.message}` });
    return;
  }
  const input = $('#baseline').value === 'policy' ? { policy, baseline: baselinePolicy, trace } : { policy, trace };
  busy($('#simulate'), async () => {
    try {
      draw(await call('policy.simulate', input));
    } catch (e) {
      show('#report');
      showError(form, e);
    }
  });
});
drawTrace(new Set());
