// Cost page: cost.ledger.record of the sample ledger, cost.ledger.query by day × model / tenant,
// cost.budget.check, cost.forecast, cost.billing.import + cost.reconcile of a FOCUS bill, cost.advise.
import ledgerText from '../data/ledger.jsonl?raw';
import { chart } from './chart.js';
import { call } from './engine.js';
import { layout } from './layout.js';
import { $, busy, clearErrors, h, show, showError, table, usd } from './ui.js';

layout('Cost');

const events = ledgerText.trim().split('\n').map((l) => JSON.parse(l));
const SERVICES = { openai: 'OpenAI', anthropic: 'Anthropic' };
const day = (d) => Date.parse(`${d}T00:00:00Z`) / 1000;
const days = (rows) => [...new Set(rows.map((r) => r.key.day))].sort();

// Daily spend per value of one key (model or tenant) as chart series.
function spendChart(target, rows, key, title) {
  const x = days(rows);
  const names = [...new Set(rows.map((r) => r.key[key]))].sort();
  const cell = new Map(rows.map((r) => [`${r.key.day}|${r.key[key]}`, Number(r.total_usd)]));
  const series = names.map((n) => ({ label: n, values: x.map((d) => cell.get(`${d}|${n}`) ?? 0) }));
  const totals = series.map((s) => `${s.label} ${usd(s.values.reduce((a, b) => a + b, 0))}`).join(', ');
  chart(target, { title, summary: `Spend over ${x.length} days: ${totals}.`, x: x.map(day), series, yLabel: 'USD / day' });
}

// The sample FOCUS bill: the ledger's daily totals per provider, except that OpenAI bills 15 %
// more from 2025-09-20 on (a price change the ledger did not see), so reconciliation has a drift to find.
function focusBill(rows) {
  const lines = ['BilledCost,EffectiveCost,ChargePeriodStart,ChargePeriodEnd,ServiceName,ProviderName,BillingCurrency,ChargeCategory'];
  for (const r of rows) {
    const billed = r.key.provider === 'openai' && r.key.day >= '2025-09-20' ? (Number(r.total_usd) * 1.15).toFixed(6) : r.total_usd;
    lines.push([billed, billed, `${r.key.day}T00:00:00Z`, `${r.key.day}T23:59:59Z`, SERVICES[r.key.provider], r.key.provider, 'USD', 'Usage'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function loadLedger() {
  await call('cost.ledger.reset', {});
  const rec = await call('cost.ledger.record', { events });
  const cat = await call('cost.catalog.get', { summary_only: true });
  show('#catalog', `Catalog ${cat.version} (${cat.models} models, sha256 ${cat.digest_sha256.slice(0, 12)}…): ${rec.recorded} events recorded, ${usd(rec.charged_usd)} charged.`);
}

async function spend() {
  const byModel = await call('cost.ledger.query', { group_by: ['day', 'model'] });
  const byTenant = await call('cost.ledger.query', { group_by: ['day', 'tenant'] });
  const tenants = await call('cost.ledger.query', { group_by: ['tenant'] });
  const sec = show('#spend', h('h2', {}, 'Spend over time'));
  spendChart(sec, byModel.rows, 'model', 'Daily spend by model');
  spendChart(sec, byTenant.rows, 'tenant', 'Daily spend by tenant');
  const t = tenants.totals;
  sec.append(table(['tenant', 'events', 'verified', 'spend', 'cost per trusted task'],
    [...tenants.rows.map((r) => [r.key.tenant, r.events, r.trusted, usd(r.total_usd), usd(r.cost_per_trusted_task_usd)]),
      [h('strong', {}, 'all'), t.events, t.trusted, usd(t.total_usd), h('strong', { id: 'cptt' }, usd(t.cost_per_trusted_task_usd))]],
  'Cost per trusted task = all spend / events that passed verification'));
}

async function budget(cap) {
  const b = await call('cost.budget.check', { tenant: 'acme', policy: { cap_usd: cap, window: 'monthly' }, now: '2025-09-28T18:00:00Z' });
  show('#budget', h('h2', {}, 'Budget (tenant acme, September, checked on the 28th)'),
    h('p', {}, h('label', { for: 'gauge' }, `Used ${(b.used_fraction * 100).toFixed(1)} % of ${usd(b.cap_usd)}`),
      h('meter', { id: 'gauge', min: 0, max: 1, low: 0.7, high: 0.9, optimum: 0, value: Math.min(1, b.used_fraction) })),
    h('p', {}, 'Decision: ', h('strong', { id: 'budget-action' }, b.action), ` (${b.reason}) — ${b.message}`),
    b.projection ? h('p', { class: 'note' }, `Projection: ${b.projection.method}, month total ${usd(b.projection.window_total_usd)}${b.projection.cross_at ? `, cap crossed ${b.projection.cross_at}` : ''}.`) : null);
}

async function forecast(horizon, history) {
  const f = await call('cost.forecast', { source: 'ledger', horizon });
  const hx = history.rows.map((r) => day(r.key.day));
  const fx = f.points.map((p) => day(p.date));
  const pad = (n) => Array(n).fill(null);
  const sec = show('#forecast', h('h2', {}, `Forecast (${f.method})`));
  chart(sec, {
    title: 'Daily spend: history, forecast and its 95 % band',
    summary: `Next ${f.points.length} days: ${usd(f.total_mean_usd)} expected, daily band ${usd(Math.min(...f.points.map((p) => p.lower_usd)))} to ${usd(Math.max(...f.points.map((p) => p.upper_usd)))}.`,
    x: [...hx, ...fx], yLabel: 'USD / day',
    series: [
      { label: 'history', values: [...history.rows.map((r) => Number(r.total_usd)), ...pad(fx.length)] },
      { label: 'forecast', values: [...pad(hx.length), ...f.points.map((p) => p.mean_usd)], color: '#c2410c' },
      { label: 'lower 95 %', values: [...pad(hx.length), ...f.points.map((p) => p.lower_usd)], color: '#c2410c', dash: [4, 4], width: 1 },
      { label: 'upper 95 %', values: [...pad(hx.length), ...f.points.map((p) => p.upper_usd)], color: '#c2410c', dash: [4, 4], width: 1 },
    ],
  });
  sec.append(h('p', { id: 'forecast-total' }, `Expected over ${horizon} days: ${usd(f.total_mean_usd)}`));
}

async function reconcile() {
  const rows = (await call('cost.ledger.query', { group_by: ['day', 'provider'] })).rows;
  const csv = focusBill(rows);
  await call('cost.billing.reset', {});
  const imp = await call('cost.billing.import', { csv_text: csv });
  const r = await call('cost.reconcile', { period: '2025-09', service_map: { openai: 'OpenAI', anthropic: 'Anthropic' } });
  show('#reconcile', h('h2', {}, 'Reconciliation against a FOCUS bill'),
    h('p', { class: 'note' }, `The sample bill (FOCUS ${imp.focus_version}, ${imp.imported} rows) is the ledger's daily totals with OpenAI billing 15 % more from 2025-09-20: a price change the ledger missed.`),
    h('details', {}, h('summary', {}, 'The FOCUS CSV'), h('pre', {}, csv)),
    h('p', {}, 'Status: ', h('strong', { id: 'reconcile-status' }, r.status), ` — tracked ${usd(r.tracked_usd)}, billed ${usd(r.billed_usd)}, Δ ${r.delta_pct.toFixed(2)} %`),
    table(['service', 'tracked', 'billed', 'Δ %', 'status', 'days over threshold'],
      r.services.map((s) => [s.service, usd(s.tracked_usd), usd(s.billed_usd), s.delta_pct.toFixed(2), s.status, s.days.map((d) => d.day).join(', ') || '—'])),
    h('ul', {}, r.recommendations.map((x) => h('li', {}, x))));
}

async function advise(cap) {
  // Verification pass rates per task and model come from the ledger's verified flags.
  const tm = await call('cost.ledger.query', { group_by: ['task', 'model'] });
  const quality = tm.rows.map((r) => ({ task: r.key.task, model: r.key.model, passed: r.trusted, total: r.events }));
  const a = await call('cost.advise', { quality, latency_tolerant_tasks: ['summarize'], budget_cap_usd: cap, min_quality_samples: 20 });
  const b = a.budget;
  show('#advice', h('h2', {}, 'Advice'),
    h('p', {}, `Projected monthly savings: `, h('strong', { id: 'savings' }, usd(a.total_monthly_savings_usd))),
    h('ul', { id: 'recommendations' }, a.recommendations.map((x) => h('li', {}, `${x.title}: saves ${usd(x.monthly_savings_usd)} / month of ${usd(x.monthly_cost_now_usd)} (risk ${x.risk})`))),
    b.insufficient_history ? h('p', {}, b.message) : h('p', {},
      `Budget for the next ${b.horizon_days} days: forecast ${usd(b.forecast_total_usd)}, upper 95 % ${usd(b.upper_95_total_usd)}; recommended soft cap ${usd(b.recommended_soft_cap_usd)}, hard cap ${usd(b.recommended_hard_cap_usd)} (${b.status}).`));
}

const form = $('#cost-form');
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(form);
  const cap = $('#cap').value.trim();
  const horizon = $('#horizon').value === '' ? undefined : Number($('#horizon').value);
  busy($('#run'), async () => {
    try {
      await loadLedger();
      await spend();
      await budget(cap);
      await forecast(horizon, await call('cost.ledger.query', { group_by: ['day'] }));
      await reconcile();
      await advise(cap);
    } catch (e) {
      showError(form, e);
    }
  });
});
form.requestSubmit();
