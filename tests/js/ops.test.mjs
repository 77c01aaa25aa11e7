// The operations pack without a server: generated dashboards and the metric table of
// docs/server.md are fresh, `promtool check rules` and `promtool test rules` pass (every alert has
// unit tests firing and not firing), and every alert links an existing runbook.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { root } from './engines.mjs';

const alertsDir = `${root}ops/alerts`;
const ruleFiles = readdirSync(alertsDir).filter((f) => f.endsWith('.yml')).map((f) => `${alertsDir}/${f}`);
const testFiles = readdirSync(`${alertsDir}/tests`).filter((f) => f.endsWith('.test.yml'));
// scripts/setup.sh installs Debian's prometheus (promtool included): missing, these tests fail.
assert.equal(spawnSync('promtool', ['--version']).status, 0, 'promtool is not installed (scripts/setup.sh installs prometheus)');
const run = (cmd, args, cwd = root) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });

// Alert names with their runbook_url, read from the rule files (one alert per line pair; the
// rules are YAML written in one style, checked by promtool below).
function alerts() {
  const out = new Map();
  for (const f of ruleFiles) {
    let name = null;
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const a = line.match(/^\s*- alert: (\S+)/);
      if (a) name = a[1];
      const r = line.match(/^\s*runbook_url: (\S+)/);
      if (r && name) out.set(name, r[1]);
    }
  }
  return out;
}

test('generated dashboards are fresh', () => {
  const r = run('node', ['scripts/gen-dashboards.mjs', '--check']);
  assert.equal(r.status, 0, r.stderr);
});

test('the metric table of docs/server.md is the registry\'s', () => {
  const r = run('node', ['scripts/gen-metrics-doc.mjs', '--check']);
  assert.equal(r.status, 0, r.stderr);
});

test('promtool checks the rule files and the example config', () => {
  const rules = run('promtool', ['check', 'rules', ...ruleFiles]);
  assert.equal(rules.status, 0, rules.stdout + rules.stderr);
  const config = run('promtool', ['check', 'config', 'ops/prometheus.yml']);
  assert.equal(config.status, 0, config.stdout + config.stderr);
});

test('promtool unit tests pass and cover every alert', () => {
  const r = run('promtool', ['test', 'rules', ...testFiles], `${alertsDir}/tests`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const tested = new Set(testFiles.flatMap((f) => [...readFileSync(`${alertsDir}/tests/${f}`, 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1])));
  assert.deepEqual([...alerts().keys()].filter((a) => !tested.has(a)), []);
  // Each alert has a case where it fires and one where it stays quiet.
  for (const f of testFiles) {
    const text = readFileSync(`${alertsDir}/tests/${f}`, 'utf8');
    for (const name of new Set([...text.matchAll(/alertname: (\w+)/g)].map((m) => m[1]))) {
      assert.match(text, new RegExp(`alertname: ${name}\\n\\s+exp_alerts:\\n\\s+- exp_labels`), `${name} never fires in ${f}`);
      assert.match(text, new RegExp(`alertname: ${name}, exp_alerts: \\[\\]`), `${name} never stays quiet in ${f}`);
    }
  }
});

test('every alert links its runbook, and every runbook is an alert\'s', () => {
  const found = alerts();
  assert.ok(found.size >= 10);
  for (const [name, url] of found) {
    assert.equal(url, `docs/runbooks/${name}.md`);
    assert.ok(existsSync(`${root}${url}`), `${url} is missing`);
    const text = readFileSync(`${root}${url}`, 'utf8');
    for (const section of ['## What it means', '## Confirm', '## Mitigate', '## Verify recovery'])
      assert.ok(text.includes(section), `${url} lacks "${section}"`);
  }
  const books = readdirSync(`${root}docs/runbooks`).filter((f) => f !== 'README.md').map((f) => f.replace(/\.md$/, ''));
  assert.deepEqual(books.sort(), [...found.keys()].sort());
});
