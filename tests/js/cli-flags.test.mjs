// flk's flags come from one declarative spec per subcommand (server/cli/flags.h): its --help lists
// exactly those flags, one parser reads them, and every usage error says the subcommand, the flag
// and why, exit 1 (docs/errors.md, "The command line"). A typed error at an op field a flag filled
// names the flag on stderr; bad file contents are typed errors (exit 2), not usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flkBin, root } from './engines.mjs';

const flk = (args, input = '') => spawnSync(flkBin, args, { input, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'flk-flags-'));

// Every subcommand and its flags, in the order of its spec.
const SPECS = {
  call: [], batch: [], ops: [],
  'pcs build': ['csv', 'shard', 'epoch', 'seed', 'scales', 'chunk-size', 'sent-at', 'key-file', 'out'],
  'pcs verify': ['key-file', 'json'],
  keygen: ['out'],
  'audit verify': ['head-seq', 'head-hash'],
  'audit cloudevents': ['source'],
  'anomaly fit': ['in', 'out', 'detector', 'epochs', 'seed', 'order', 'options', 'quiet'],
  'anomaly score': ['model', 'in', 'out', 'order'],
  'anomaly eval': ['data', 'bench', 'detectors', 'options', 'quantiles', 'per-series', 'json', 'limit', 'quiet'],
  'hrs train': ['data', 'out', 'kind', 'folds', 'bags', 'seed', 'trees', 'depth', 'learning-rate', 'lexical-bits',
    'lexical-keep', 'lexical-l2', 'linear-l2', 'drop-form', 'balance-forms', 'balance-labels', 'synthetic',
    'synthetic-weight', 'probes'],
  'hrs eval': ['model', 'data', 'out', 'probes'],
  'hrs score': ['model', 'in', 'out'],
  'ensemble eval': ['data', 'folds', 'budget', 'seed', 'out', 'report'],
  verify: ['in', 'out', 'policy'],
  'cost import-billing': ['format', 'strict', 'json', 'no-progress'],
  'cost report': ['usage', 'by', 'tenant', 'provider', 'model', 'task', 'from', 'to', 'json'],
  'cost reconcile': ['usage', 'billing', 'period', 'from', 'to', 'threshold', 'column', 'map', 'format', 'strict',
    'no-progress', 'json'],
  'cost forecast': ['usage', 'billing', 'series', 'tenant', 'provider', 'model', 'task', 'from', 'to', 'service', 'column',
    'horizon', 'backtest', 'format', 'strict', 'no-progress', 'json'],
  'cost advise': ['usage', 'evidence', 'tenant', 'provider', 'model', 'task', 'from', 'to', 'lookback', 'cap', 'horizon', 'json'],
  'compliance report': ['store', 'data', 'from', 'to', 'framework', 'head-seq', 'head-hash', 'config', 'out'],
  'pii scan': ['types', 'min-confidence', 'limit'],
  'pii redact': ['mode', 'key', 'types', 'min-confidence', 'limit'],
  'pii eval': ['types', 'min-confidence', 'show-misses'],
  'policy validate': ['policy'], 'policy hash': ['policy'],
  'policy sign': ['policy', 'key-file', 'out'],
  'policy verify': ['policy', 'key-file'],
  'policy evaluate': ['policy', 'request'],
  'policy simulate': ['policy', 'against', 'baseline', 'server', 'tenant', 'limit', 'admin-token'],
  'canary gate': ['policy', 'baseline', 'canary'],
  'canary step': ['policy', 'verdict', 'state'],
  'canary cohort': ['rollout', 'key', 'percent'],
  'canary status': ['server', 'tenant', 'admin-token', 'json'],
};

// A subcommand's --help, read back: its flags in the synopsis and one line per flag.
function help(sub) {
  const r = flk([...sub.split(' '), '--help']);
  assert.equal(r.status, 0, sub);
  const [, synopsis, , ...rest] = r.stdout.split('\n');
  assert.ok(synopsis.startsWith(`  flk ${sub}`), `${sub}: ${synopsis}`);
  const lines = rest.filter((l) => /^ {6}--/.test(l));
  const flags = lines.map((l) => {
    const [, name, value] = l.match(/^ {6}--([a-z0-9-]+)(?: (\S+))?/);
    const takes = l.slice(l.lastIndexOf(' (')).match(/(an integer|a number)( from [^\s;)]+ to [^\s;)]+| of at least [^\s;)]+| of at most [^\s;)]+)?/);
    return { name, value, line: l, bool: l.includes('0, 1, false or true may follow'), takes: takes && takes[0] };
  });
  const inSynopsis = [...synopsis.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]);
  return { text: r.stdout, flags, inSynopsis };
}

const usage = (message) => `flk: ${message} (see flk --help)\n`;

test('flk --help lists every subcommand; each one\'s --help lists exactly its spec\'s flags', () => {
  const top = flk(['--help']).stdout;
  const listed = [...top.matchAll(/^  flk ([a-z][a-z-]*(?: [a-z][a-z-]*)?)/gm)].map((m) => m[1]);
  for (const sub of Object.keys(SPECS)) assert.ok(listed.some((l) => l === sub || l.startsWith(`${sub} `)), `${sub} in flk --help`);
  for (const [sub, names] of Object.entries(SPECS)) {
    const h = help(sub);
    assert.deepEqual(h.flags.map((f) => f.name), names, `${sub}: one help line per flag`);
    assert.deepEqual(h.inSynopsis.filter((n) => names.includes(n)), names, `${sub}: the synopsis`);
    // The parser takes each of them: a flag after it is read (and found unknown), not this one.
    for (const f of h.flags) {
      const r = flk([...sub.split(' '), `--${f.name}`, '1', '--no-such-flag']);
      assert.equal(r.status, 1, `${sub} --${f.name}`);
      assert.doesNotMatch(r.stderr, new RegExp(`unknown flag --${f.name}\\b`), `${sub} --${f.name}`);
    }
  }
  // `flk CMD --help` is every subcommand of CMD; `flk CMD SUB --help` that one alone.
  const pcs = flk(['pcs', '--help']).stdout;
  assert.match(pcs, /^usage:\n {2}flk pcs build .*\n(.*\n)* {2}flk pcs verify PCS_FILE/);
  assert.doesNotMatch(flk(['pcs', 'build', '--help']).stdout, /flk pcs verify/);
});

test('an unknown flag, a missing value, a bad or out-of-range number: one message form, exit 1, for every subcommand', () => {
  let numeric = 0;
  for (const sub of Object.keys(SPECS)) {
    const args = sub.split(' ');
    const unknown = flk([...args, '--no-such-flag']);
    assert.equal(unknown.status, 1, sub);
    assert.equal(unknown.stderr, usage(`${sub}: unknown flag --no-such-flag`));
    assert.equal(unknown.stdout, '');
    for (const f of help(sub).flags) {
      if (f.value && !f.bool) {
        const r = flk([...args, `--${f.name}`]);
        assert.equal(r.status, 1, `${sub} --${f.name}`);
        assert.equal(r.stderr, usage(`${sub}: --${f.name} needs a value (${f.value})`));
      }
      if (!f.takes) continue;
      ++numeric;
      const bad = flk([...args, `--${f.name}`, 'abc']);
      assert.equal(bad.status, 1, `${sub} --${f.name} abc`);
      assert.equal(bad.stderr, usage(`${sub}: --${f.name} takes ${f.takes}, got "abc"`));
      const bound = f.takes.match(/from (\S+) to (\S+)|of at least (\S+)|of at most (\S+)/);
      if (!bound) continue;
      const outside = bound[2] ? String(Number(bound[2]) * 2 + 1) : bound[3] ? String(Number(bound[3]) - 1) : String(Number(bound[4]) + 1);
      const out = flk([...args, `--${f.name}`, outside]);
      assert.equal(out.status, 1, `${sub} --${f.name} ${outside}`);
      assert.equal(out.stderr, usage(`${sub}: --${f.name} takes ${f.takes}, got "${outside}"`));
    }
  }
  assert.ok(numeric >= 25, `${numeric} numeric flags`);
  // A flag given twice (other than the repeatable ones), a bad enumeration value, stray arguments.
  for (const [args, message] of [
    [['keygen', 'hmac', '--out', 'a', '--out', 'b'], 'keygen: --out given twice'],
    [['pii', 'redact', 'f.txt', '--mode', 'blur'], 'pii redact: --mode takes mask, tag or pseudonym, got "blur"'],
    [['hrs', 'score', 'x.jsonl'], 'hrs score: unexpected argument "x.jsonl"'],
    [['pcs', 'verify', '--key-file', 'k'], 'pcs verify: takes PCS_FILE, got 0 arguments'],
    [['pcs', 'build', '--shard', 's', '--epoch', '1'], 'pcs build: needs --csv FILE'],
    [['pcs', 'frobnicate'], 'pcs takes build or verify'],
    [['policy'], 'policy takes validate, hash, sign, verify, evaluate or simulate'],
  ]) {
    const r = flk(args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr, usage(message));
  }
});

test('an integer one past its bound is refused exactly, above 2^53 too (not rounded to a double first)', () => {
  const r = flk(['anomaly', 'fit', '--in', 'a.csv', '--out', 'm.json', '--seed', '9007199254740993']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, usage('anomaly fit: --seed takes an integer from 0 to 9007199254740992, got "9007199254740993"'));
  assert.equal(r.stdout, '');
});

test('numbers are plain decimals: a leading space, a plus sign, hex, inf and nan are refused', () => {
  for (const v of [' 5', '+5', '0x5', '0x1p-3', 'inf', '-nan']) {
    const flag = v.includes('p') || v.includes('n') ? ['--budget', v] : ['--folds', v];
    const r = flk(['ensemble', 'eval', '--data', 'x.jsonl', ...flag]);
    assert.equal(r.status, 1, `${flag.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^flk: ensemble eval: ${flag[0]} takes .*, got "${v.replace('+', '\\+')}"`));
  }
});

test('flk alone is a usage error: its help on stderr, nothing on stdout, exit 1', () => {
  const r = flk([]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^flk .* — Fractal LBA/);
});

test('a repeatable flag given again without its value is a usage error, like the first time', () => {
  writeFileSync(join(dir, 'none.jsonl'), '');
  const r = flk(['cost', 'report', '--usage', join(dir, 'none.jsonl'), '--usage']);
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stderr, usage('cost report: --usage needs a value (FILE)'));
});

test('a flag of the command where a value should be is a missing value; other words that start with -- are values', () => {
  writeFileSync(join(dir, 'none.jsonl'), '');
  for (const [args, message] of [
    [['canary', 'cohort', '--rollout', '--percent', '5', '--key', 'k'], 'canary cohort: --rollout needs a value (ID)'],
    [['cost', 'report', '--usage', '--json'], 'cost report: --usage needs a value (FILE)'],
    [['cost', 'report', '--usage', join(dir, 'none.jsonl'), '--tenant', '--json'], 'cost report: --tenant needs a value (T)'],
  ]) {
    const r = flk(args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr, usage(message));
  }
  const odd = flk(['canary', 'cohort', '--rollout', '--r', '--key', '--k', '--percent', '5']);
  assert.equal(odd.status, 0, odd.stderr);
  assert.deepEqual(odd.stdout, flk(['call', 'canary.cohort'], JSON.stringify({ rollout: '--r', key: '--k', percent: 5 })).stdout);
});

test('a typed error at an op field a flag filled names the flag on stderr; the JSON error stays on stdout', () => {
  const csv = `${root}tests/data/tiny_case_1.csv`;
  const r = flk(['pcs', 'build', '--csv', csv, '--shard', 's s', '--epoch', '1']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'flk: --shard (op field $.shard_id): ');
  assert.equal(JSON.parse(r.stdout).error.path, '$.shard_id');
  const at = flk(['pcs', 'build', '--csv', csv, '--shard', 's', '--epoch', '1', '--sent-at', 'noon']);
  assert.equal(at.status, 2);
  assert.equal(at.stderr, 'flk: --sent-at (op field $.sent_at): ');
  assert.equal(JSON.parse(at.stdout).error.code, 'bad_format');
  writeFileSync(join(dir, 'usage.jsonl'), '');
  const from = flk(['cost', 'report', '--usage', join(dir, 'usage.jsonl'), '--from', 'yesterday']);
  assert.equal(from.status, 2);
  assert.equal(from.stderr, 'flk: --from (op field $.from): ');
  assert.equal(JSON.parse(from.stdout).error.code, 'bad_timestamp');
});

test('bad file contents are typed errors (exit 2), the file (and line) named, never usage errors', () => {
  const file = (name, text) => { writeFileSync(join(dir, name), text); return join(dir, name); };
  const usageLines = file('usage.jsonl', '{"tenant":"a"}\n{"tenant":\n');
  const report = flk(['cost', 'report', '--usage', usageLines]);
  assert.equal(report.status, 2, report.stderr);
  assert.equal(report.stderr, `flk: ${usageLines}:2: `);
  assert.equal(JSON.parse(report.stdout).error.code, 'bad_json');
  const series = flk(['cost', 'forecast', '--series', file('series.json', '[1,')]);
  assert.equal(series.status, 2);
  assert.equal(JSON.parse(series.stdout).error.code, 'bad_json');
  const evidence = flk(['cost', 'advise', '--usage', file('empty.jsonl', ''), '--evidence', file('ev.json', '[1]')]);
  assert.equal(evidence.status, 2);
  assert.equal(JSON.parse(evidence.stdout).error.code, 'wrong_type');
  const text = file('msg.txt', 'mail jane.doe@example.com\n');
  const key = flk(['pii', 'redact', text, '--mode', 'pseudonym', '--key', file('notakey.json', '{"alg":"hmac"}')]);
  assert.equal(key.status, 2);
  assert.equal(key.stderr, 'flk: --key (op field $.key_b64): ');
  assert.equal(JSON.parse(key.stdout).error.code, 'missing_field');
  const rows = file('rows.jsonl', '{"text":"a","spans":[]}\n{"text":1}\n');
  const evalRow = flk(['pii', 'eval', rows]);
  assert.equal(evalRow.status, 2);
  assert.equal(evalRow.stderr, `flk: ${rows}:2: `);
  assert.equal(JSON.parse(evalRow.stdout).error.code, 'wrong_type');
  const hmac = file('hmac.json', '{"alg":"hmac","key_b64":"AAAA"}');
  const sign = flk(['policy', 'sign', '--policy', `${root}tests/data/policy/routing.json`, '--key-file', hmac]);
  assert.equal(sign.status, 2);
  assert.equal(sign.stderr, 'flk: --key-file (op field $.seed_b64): ');
  assert.equal(JSON.parse(sign.stdout).error.code, 'missing_field');
});
