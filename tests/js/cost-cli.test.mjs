// flk cost …: the native CLI's cost subcommands on files (usage JSON lines, FOCUS CSV), through
// the same ops as every build; tables by default, the ops' JSON with --json; exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
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

test('flk cost import-billing on the real FOCUS sample; usage and typed errors', { skip: !existsSync(`${shared}/data/billing`) && 'no shared data' }, () => {
  const r = run('cost', 'import-billing', `${shared}/data/billing/focus/focus-1.0_sample_1000.csv`, '--json');
  assert.equal(r.status, 0);
  const s = JSON.parse(r.stdout);
  assert.equal(s.imported, 1000);
  assert.equal(s.totals.find((t) => t.provider === 'AWS').effective, '13.00');
  assert.equal(r.stderr, '');  // no progress bar when stderr is not a terminal
  assert.equal(run('cost', 'import-billing', join(dir, 'missing.csv')).status, 1);
  assert.equal(run('cost', 'frobnicate').status, 1);
  const bad = run('cost', 'import-billing', usage);  // not a billing export
  assert.equal(bad.status, 2);
  assert.equal(JSON.parse(bad.stdout).error.code, 'bad_csv');
});
