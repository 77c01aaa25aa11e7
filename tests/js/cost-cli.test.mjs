// flk cost …: the native CLI's cost subcommands on files (usage JSON lines, FOCUS CSV), through
// the same ops as every build; tables by default, the ops' JSON with --json; exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flkBin, root } from './engines.mjs';

const flk = flkBin;
const shared = process.env.FLK_SHARED_DIR ?? `${root}../shared`;
const run = (...args) => spawnSync(flk, args, { encoding: 'utf8' });

const dir = mkdtempSync(join(tmpdir(), 'flk-cost-'));
const usage = join(dir, 'usage.jsonl');
const billing = join(dir, 'focus.csv');
// Two weeks of gpt-4o-mini usage for one tenant: 1000 prompt + 100 completion tokens per event,
// $0.00021 each, 10 events a day → $0.0021 a day.
const lines = [];
for (let d = 1; d <= 14; d++)
  for (let k = 0; k < 10; k++)
    lines.push(JSON.stringify({
      event_id: `e${d}-${k}`, tenant: 'acme', task: 'chat', verified: k % 2 === 0,
      timestamp: `2025-09-${String(d).padStart(2, '0')}T${String(k).padStart(2, '0')}:00:00Z`,
      model: 'gpt-4o-mini', usage: { prompt_tokens: 1000, completion_tokens: 100 },
    }));
writeFileSync(usage, lines.join('\n') + '\n');
let csv = 'BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory\n';
for (let d = 1; d <= 14; d++) csv += `${d === 5 ? '0.0031' : '0.0021'},2025-09-${String(d).padStart(2, '0')},OpenAI,USD,Usage\n`;
csv += 'oops,2025-09-15,OpenAI,USD,Usage\n';
writeFileSync(billing, csv);

test('flk cost report groups the ledger and prints cost per trusted task', () => {
  const r = run('cost', 'report', '--usage', usage, '--by', 'tenant,model', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.rows.length, 1);
  assert.equal(out.rows[0].total_usd, '0.0294');
  assert.equal(out.rows[0].cost_per_trusted_task_usd, '0.00042');
  const table = run('cost', 'report', '--usage', usage);
  assert.match(table.stdout, /acme\s+gpt-4o-mini\s+140\s+70\s+0\.0294\s+0\.00042/);
});

test('flk cost reconcile finds the over-billed day and reports the bad row', () => {
  const imp = run('cost', 'import-billing', billing, '--json');
  assert.equal(imp.status, 0);
  const s = JSON.parse(imp.stdout);
  assert.equal(s.skipped, 1);
  assert.deepEqual(s.issues[0], { line: 16, column: 'BilledCost', message: '"oops" is not a decimal number' });
  const r = run('cost', 'reconcile', '--usage', usage, '--billing', billing, '--period', '2025-09', '--map', 'openai=OpenAI', '--json');
  assert.equal(r.status, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.delta_usd, '0.001');
  assert.equal(rep.services[0].days[0].day, '2025-09-05');
  assert.equal(rep.alert, true);
  const table = run('cost', 'reconcile', '--usage', usage, '--billing', billing, '--map', 'openai=OpenAI');
  assert.match(table.stdout, /OpenAI\s+0\.0294\s+0\.0304\s+0\.001/);
});

test('flk cost forecast predicts a flat series flat', () => {
  const r = run('cost', 'forecast', '--usage', usage, '--tenant', 'acme', '--horizon', '3', '--json');
  assert.equal(r.status, 0, r.stderr);
  const f = JSON.parse(r.stdout);
  assert.equal(f.history.days, 14);
  for (const p of f.points) assert.ok(Math.abs(p.mean_usd - 0.0021) < 1e-6, JSON.stringify(p));
});

test('flk cost forecast takes one source and refuses a flag that source would ignore', () => {
  const series = join(dir, 'flat-series.json');
  writeFileSync(series, JSON.stringify(Array(14).fill(1)));
  for (const [args, message] of [
    [['--usage', usage, '--billing', series], 'takes one of --usage, --billing or --series, not 2'],
    [['--series', series, '--tenant', 'acme'], '--tenant does not apply to --series'],
    [['--billing', series, '--model', 'gpt-4o'], '--model does not apply to --billing'],
    [['--usage', usage, '--service', 'Amazon Bedrock'], '--service does not apply to --usage'],
  ]) {
    const r = run('cost', 'forecast', ...args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `flk: cost forecast: ${message} (see flk --help)\n`);
  }
});

test('flk cost import-billing on the real FOCUS sample; usage and typed errors', { skip: !existsSync(`${shared}/data/billing`) && 'no shared data' }, () => {
  const r = run('cost', 'import-billing', `${shared}/data/billing/focus/focus-1.0_sample_1000.csv`, '--json');
  assert.equal(r.status, 0);
  const s = JSON.parse(r.stdout);
  assert.equal(s.imported, 1000);
  assert.equal(s.totals.find((t) => t.provider === 'AWS').effective, '13.00');
  assert.equal(r.stderr, '');  // no progress bar when stderr is not a terminal
  const missing = run('cost', 'import-billing', join(dir, 'missing.csv'));  // a typed error since session 22, not usage
  assert.equal(missing.status, 2);
  assert.deepEqual(JSON.parse(missing.stdout).error, { code: 'io', message: `cannot read ${join(dir, 'missing.csv')}`, path: join(dir, 'missing.csv') });
  assert.equal(run('cost', 'frobnicate').status, 1);
  // A misspelt flag is refused, not ignored (a report for every tenant instead of one, before).
  const typo = run('cost', 'report', '--usage', usage, '--tenat', 'acme');
  assert.equal(typo.status, 1);
  assert.equal(typo.stderr, 'flk: cost report: unknown flag --tenat (see flk --help)\n');
  assert.match(run('cost', 'forecast', '--usage', usage, '--cap', '5').stderr, /cost forecast: unknown flag --cap/);
  const bad = run('cost', 'import-billing', usage);  // not a billing export
  assert.equal(bad.status, 2);
  assert.equal(JSON.parse(bad.stdout).error.code, 'bad_csv');
});

// An independent route to the Azure sample's total: a small CSV reader here, each
// CostInBillingCurrency value as an exact decimal (BigInt), rounded half to even to a nano-dollar
// as the importer promises, then summed.
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
function nanos(decimal) {  // "5.64902E-05" → 56490 (half to even)
  const [mant, exp = '0'] = decimal.toLowerCase().split('e');
  const neg = mant.startsWith('-');
  const [ip, fp = ''] = mant.replace('-', '').split('.');
  const scale = fp.length - Number(exp);  // value = digits × 10^-scale
  let digits = BigInt(ip + fp);
  if (scale <= 9) digits *= 10n ** BigInt(9 - scale);
  else {
    const div = 10n ** BigInt(scale - 9), q = digits / div, r = digits % div;
    digits = 2n * r > div || (2n * r === div && q % 2n === 1n) ? q + 1n : q;
  }
  return neg ? -digits : digits;
}

test('flk cost import-billing: the Azure EA sample totals match an independent sum; --strict refuses extra columns', { skip: !existsSync(`${shared}/data/billing`) && 'no shared data' }, () => {
  const file = `${shared}/data/billing/azure/azure_ea_cost_anonymized_2023-09.csv`;
  const [head, ...body] = csvRows(readFileSync(file, 'utf8')).filter((r) => r.length > 1);
  const col = head.indexOf('CostInBillingCurrency');
  const expected = body.reduce((a, r) => a + nanos(r[col]), 0n);
  assert.equal(body.length, 27);
  assert.ok(expected > 1261369250n && expected < 1261369280n, String(expected));  // README: 1.26136926505726
  const r = run('cost', 'import-billing', file, '--strict', '--json');
  assert.equal(r.status, 0, r.stdout);
  const s = JSON.parse(r.stdout);
  assert.equal(s.format, 'azure');
  assert.equal(s.imported, 27);
  assert.equal(s.issue_count, 0);
  assert.equal(s.totals.length, 1);
  assert.deepEqual([s.totals[0].provider, s.totals[0].currency, s.totals[0].month], ['Azure', 'CAD', '2023-09']);
  assert.equal(nanos(s.totals[0].billed), expected);
  const extra = join(dir, 'azure-extra.csv');
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  writeFileSync(extra, lines.map((l, i) => `${l},${i ? 'x' : 'MyColumn'}\n`).join(''));
  const refused = run('cost', 'import-billing', extra, '--strict');
  assert.equal(refused.status, 2);
  assert.equal(JSON.parse(refused.stdout).error.message, 'line 1, column MyColumn: not a column of the azure format');
  const lenient = JSON.parse(run('cost', 'import-billing', extra, '--json').stdout);
  assert.deepEqual(lenient.unknown_columns, ['MyColumn']);
  assert.equal(lenient.imported, 27);
});

test('flk cost advise: recommendations from the evidence, budget caps from the forecast, too little history said', () => {
  const evidence = join(dir, 'evidence.json');
  writeFileSync(evidence, JSON.stringify({ latency_tolerant_tasks: ['chat'] }));
  // $0.0021 a day for 14 days: 30 days ahead are $0.063, so a $0.05 cap is crossed on day 24.
  const r = run('cost', 'advise', '--usage', usage, '--evidence', evidence, '--cap', '0.05', '--horizon', '30', '--json');
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.equal(a.recommendations[0].type, 'batch');
  assert.equal(a.lookback_days, 14);
  assert.equal(a.budget.forecast_total_usd, '0.063');
  assert.equal(a.budget.recommended_soft_cap_usd, '0.07');
  assert.equal(a.budget.status, 'forecast_exceeds_cap');
  assert.equal(a.budget.cap_crossed_on, '2025-10-08');
  const table = run('cost', 'advise', '--usage', usage, '--evidence', evidence, '--cap', '0.05', '--horizon', '30');
  assert.match(table.stdout, /batch\s+Send chat requests to gpt-4o-mini through the batch API\s+\S+\s+low/);
  assert.match(table.stdout, /current cap \$0\.05: forecast_exceeds_cap \(crossed on 2025-10-08\)/);
  const short = join(dir, 'short.jsonl');
  writeFileSync(short, lines.slice(0, 30).join('\n') + '\n');  // three days
  const s = JSON.parse(run('cost', 'advise', '--usage', short, '--json').stdout);
  assert.equal(s.budget.insufficient_history, true);
  assert.equal(s.budget.recommended_hard_cap_usd, undefined);
  assert.match(run('cost', 'advise', '--usage', short).stdout, /budget: no cap suggested: a forecast needs at least 4 days of history, got 3/);
  const f = run('cost', 'forecast', '--usage', short);
  assert.equal(f.status, 2);
  assert.equal(JSON.parse(f.stdout).error.code, 'insufficient_history');
  assert.equal(run('cost', 'advise').status, 1);
});

test('flk cost report names FILE:LINE of a usage event the ledger refuses, in any batch of the file', () => {
  const event = (i, u = { prompt_tokens: 10, completion_tokens: 1 }) =>
    JSON.stringify({ event_id: `b${i}`, tenant: 'acme', timestamp: '2025-09-01T00:00:00Z', model: 'gpt-4o-mini', usage: u });
  const bad = { prompt_tokens: -1 };
  // In the first batch, after a blank line: the third line.
  const early = join(dir, 'bad-early.jsonl');
  writeFileSync(early, [event(0), '', event('x', bad), event(1)].join('\n') + '\n');
  // In the second batch (the CLI records 20,000 events a call): line 20,005.
  const late = join(dir, 'bad-late.jsonl');
  const many = Array.from({ length: 20003 }, (_, i) => event(i));
  many.splice(5, 0, '');
  writeFileSync(late, [...many, event('y', bad)].join('\n') + '\n');
  for (const [file, line, index] of [[early, 3, 1], [late, 20005, 3]]) {
    const r = run('cost', 'report', '--usage', file);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `flk: ${file}:${line}: `);
    assert.equal(JSON.parse(r.stdout).error.path, `$.events[${index}].usage.prompt_tokens`);
  }
});
