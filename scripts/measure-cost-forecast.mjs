#!/usr/bin/env node
// Measures the spend forecaster (cost.forecast, rolling-origin backtests) on
//   - generated weekly-seasonal spend whose continuation is known (the test suite's shapes),
//   - the real billing samples under $FLK_SHARED_DIR/data/billing (daily billed cost),
//   - real daily series derived from NAB (tweet volumes, ad-exchange CPC) in data/anomaly/nab,
// and prints MAPE, 95 % interval coverage and, for context, the MAPE of the naive and seasonal-
// naive forecasts on the same origins. Measurements, not tests: nothing here is tuned.
//   node scripts/measure-cost-forecast.mjs [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const flk = `${root}dist/native/flk`;

function batch(calls) {
  const text = calls.map(([op, input]) => JSON.stringify({ op, input })).join('\n') + '\n';
  const r = spawnSync(flk, ['batch'], { input: text, encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

// Baselines on the same rolling origins.
function baselineMape(y, h, minTrain, fc) {
  let s = 0, n = 0;
  for (let o = minTrain; o + h <= y.length; o++) {
    const f = fc(y.slice(0, o), h);
    for (let j = 0; j < h; j++) if (y[o + j] !== 0) { s += Math.abs((y[o + j] - f[j]) / y[o + j]); n++; }
  }
  return n ? (100 * s) / n : NaN;
}
const naive = (t, h) => Array(h).fill(t.at(-1));
const snaive = (t, h) => Array.from({ length: h }, (_, j) => t[t.length - 7 + (j % 7)]);

const rows = [];
function measure(group, name, start, values, h, minTrain) {
  const [out] = batch([['cost.forecast', { series: { start, values_usd: values }, horizon: h, backtest: { horizon: h, min_train: minTrain } }]]);
  if (out.error) return rows.push({ group, name, days: values.length, error: out.error.message });
  const b = out.backtest;
  rows.push({
    group, name, days: values.length, horizon: h, origins: b.origins, mape: b.mape_pct, coverage: b.coverage_95,
    naive: baselineMape(values, h, minTrain, naive), seasonal_naive: values.length >= 7 ? baselineMape(values, h, minTrain, snaive) : NaN,
    methods: b.methods,
  });
}

// 1. Generated spend with the test suite's recipe (multiplicative week, growth, relative noise).
function xorshift(seed) {
  let s = BigInt(seed);
  const M = (1n << 64n) - 1n;
  return () => {
    s ^= (s << 13n) & M; s ^= s >> 7n; s ^= (s << 17n) & M;
    return Number(s >> 11n) / 9007199254740992;
  };
}
const week = [1.0, 1.06, 1.1, 1.04, 0.95, 0.45, 0.4];
for (const [growth, noise, seed] of [[0, 0.03, 1], [0.01, 0.05, 2], [0.02, 0.08, 3], [0, 0.3, 9]]) {
  const u = xorshift(seed);
  const y = [];
  for (let t = 0; t < 91; t++) {
    let z = -6;
    for (let i = 0; i < 12; i++) z += u();
    y.push(+Math.max(0, 200 * (1 + (growth * t) / 7) * week[t % 7] * (1 + noise * z)).toFixed(6));  // spend is never negative
  }
  measure('generated', `growth ${growth * 100}%/wk, noise ${noise * 100}%`, '2025-01-06', y, 7, 28);
}

// 2. Real billing exports: daily billed cost.
const billing = `${shared}/data/billing`;
for (const [name, file, provider, h, minTrain] of [
  ['AWS CUR 2023-11 (legacy CUR)', 'cur/aws_cur_legacy_anonymized_2023-11.csv', 'AWS', 3, 7],
  ['FOCUS 1.0 sample, AWS rows', 'focus/focus-1.0_sample_1000.csv', 'AWS', 7, 14],
]) {
  if (!existsSync(`${billing}/${file}`)) continue;
  const [, summary] = batch([
    ['cost.billing.import', { csv_text: readFileSync(`${billing}/${file}`, 'utf8') }],
    ['cost.billing.summary', { group_by: ['day'], where: { provider } }],
  ]);
  const days = summary.totals;
  const values = [];
  for (let d = new Date(days[0].day + 'T00:00:00Z'); d <= new Date(days.at(-1).day + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
    const hit = days.find((x) => x.day === d.toISOString().slice(0, 10));
    values.push(hit ? Number(hit.billed) : 0);
  }
  measure('billing', name, days[0].day, values, h, minTrain);
}

// 3. Real daily series from NAB: 5-minute tweet counts summed per day, hourly CPC averaged per day.
const nab = `${shared}/data/anomaly/nab/data`;
for (const [cat, agg] of [['realTweets', 'sum'], ['realAdExchange', 'mean']]) {
  if (!existsSync(`${nab}/${cat}`)) continue;
  for (const f of readdirSync(`${nab}/${cat}`).sort()) {
    const byDay = new Map();
    for (const line of readFileSync(`${nab}/${cat}/${f}`, 'utf8').split(/\r?\n/).slice(1)) {
      if (!line) continue;
      const [ts, v] = line.split(',');
      const d = ts.slice(0, 10);
      const cur = byDay.get(d) ?? { s: 0, n: 0 };
      cur.s += Number(v); cur.n++;
      byDay.set(d, cur);
    }
    const full = Math.max(...[...byDay.values()].map((x) => x.n));
    const days = [...byDay.entries()].filter(([, x]) => x.n >= 0.9 * full);  // drop partial days
    const values = days.map(([, x]) => +(agg === 'sum' ? x.s : x.s / x.n).toFixed(6));
    measure(`nab ${cat}`, f.replace('.csv', ''), days[0][0], values, 7, 21);
  }
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 1));
} else {
  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  console.log('group              series                              days  h  origins   MAPE%  cover95  naive%  s-naive%');
  for (const r of rows) {
    if (r.error) { console.log(`${r.group.padEnd(18)} ${r.name.padEnd(35)} ${String(r.days).padStart(4)}  ${r.error}`); continue; }
    console.log(`${r.group.padEnd(18)} ${r.name.padEnd(35)} ${String(r.days).padStart(4)} ${String(r.horizon).padStart(2)} ${String(r.origins).padStart(8)} ${fmt(r.mape).padStart(7)} ${fmt(r.coverage).padStart(8)} ${fmt(r.naive).padStart(7)} ${fmt(r.seasonal_naive).padStart(9)}`);
  }
}
