// The native CLI for people: flk pcs build reproduces the spec's golden PCS byte for byte, and
// flk pcs verify / keygen behave as documented (exit codes 0, 3, 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flkBin, root } from './engines.mjs';

const flk = (args, input) => spawnSync(flkBin, args, { input, encoding: 'utf8' });
const golden = JSON.parse(readFileSync(`${root}tests/golden/pcs.json`, 'utf8')).cases;
const dir = mkdtempSync(join(tmpdir(), 'flk-cli-'));

test('flk pcs build from the spec example equals the golden PCS byte for byte', () => {
  writeFileSync(join(dir, 'hmac.json'), '{"alg":"hmac","key_text":"testsecret"}');
  for (const n of [1, 2]) {
    const r = flk(['pcs', 'build', '--csv', `${root}tests/data/tiny_case_${n}.csv`, '--shard', 'test-shard-001', '--epoch', '1',
      '--seed', '42', '--sent-at', '2025-01-19T12:00:00Z', '--key-file', join(dir, 'hmac.json')]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const c = golden.find((g) => g.name === `§9.1 golden case ${n}: pcs.build with HMAC testsecret`);
    assert.deepEqual(JSON.parse(r.stdout), c.expect);
    // and the same bytes as the op itself (which the golden suite checks in every build)
    assert.equal(r.stdout, flk(['call', 'pcs.build'], c.input_json).stdout);
  }
});

test('flk keygen + pcs build + pcs verify round-trip with readable and JSON verdicts', () => {
  const key = join(dir, 'ed');
  assert.equal(flk(['keygen', 'ed25519', '--out', key]).status, 0);
  const out = join(dir, 'pcs.json');
  const b = flk(['pcs', 'build', '--csv', `${root}tests/data/tiny_case_2.csv`, '--shard', 's1', '--epoch', '7', '--key-file', key, '--out', out]);
  assert.equal(b.status, 0, b.stdout + b.stderr);
  const v = flk(['pcs', 'verify', out, '--key-file', `${key}.pub`]);
  assert.equal(v.status, 0, v.stdout);
  assert.match(v.stdout, /^ACCEPTED \(200\)/);
  assert.equal(flk(['pcs', 'verify', out, '--key-file', key]).status, 0, 'a seed file verifies too');
  const tampered = JSON.parse(readFileSync(out, 'utf8'));
  tampered.regime = 'sticky';
  writeFileSync(join(dir, 't.json'), JSON.stringify(tampered));
  const esc = flk(['pcs', 'verify', join(dir, 't.json'), '--key-file', `${key}.pub`, '--json']);
  assert.equal(esc.status, 3);
  assert.equal(JSON.parse(esc.stdout).escalated, true);
  tampered.regime = 'mixed';
  tampered.D_hat = 2.0;
  writeFileSync(join(dir, 't.json'), JSON.stringify(tampered));
  const bad = flk(['pcs', 'verify', join(dir, 't.json'), '--key-file', `${key}.pub`]);
  assert.equal(bad.status, 4);
  assert.match(bad.stdout, /^BAD SIGNATURE \(401\)/);
});

test('CLI usage errors exit 1, typed errors exit 2', () => {
  assert.equal(flk(['pcs', 'build', '--csv']).status, 1);
  assert.equal(flk(['pcs', 'frobnicate']).status, 1);
  assert.equal(flk(['nope']).status, 1);
  const missing = flk(['pcs', 'verify', join(dir, 'absent.json'), '--key-file', join(dir, 'hmac.json')]);
  assert.equal(missing.status, 2);
  assert.deepEqual(JSON.parse(missing.stdout).error, { code: 'io', message: `cannot read ${join(dir, 'absent.json')}`, path: join(dir, 'absent.json') });
  assert.equal(flk(['call', 'crypto.sha256'], '{"data_hex":"zz"}').status, 2);
  // A line of a JSONL input that is not JSON: the typed error, its line named on stderr.
  writeFileSync(join(dir, 'bad.jsonl'), '{"id":"a","source":"s","answer":"x","label":0}\n{"id":\n');
  const bad = flk(['hrs', 'eval', '--data', join(dir, 'bad.jsonl')]);
  assert.equal(bad.status, 2);
  assert.equal(JSON.parse(bad.stdout).error.code, 'bad_json');
  assert.equal(bad.stderr, `flk: ${join(dir, 'bad.jsonl')}:2: `);
});

// docs/errors.md, "The command line": every subcommand answers a file it cannot read or write with
// the typed error io naming the file, exit 2, never a usage error.
test('a file that cannot be read or written is the typed error io naming it, exit 2, for every command', () => {
  const absent = join(dir, 'absent');
  const nowhere = join(dir, 'no-such-dir', 'out');
  const policy = `${root}tests/data/policy/`;
  writeFileSync(join(dir, 'io.txt'), 'nothing personal\n');
  writeFileSync(join(dir, 'io.jsonl'), '{"id":"a","source":"s","answer":"x","label":0}\n');
  writeFileSync(join(dir, 'io-series.csv'), 'timestamp,x\n' + Array.from({ length: 40 }, (_, i) => `${60 * i},${i % 5}`).join('\n') + '\n');
  const text = join(dir, 'io.txt'), jsonl = join(dir, 'io.jsonl'), key = join(dir, 'io-key');
  assert.equal(flk(['keygen', 'ed25519', '--out', key]).status, 0);
  const period = ['--from', '2026-01-01T00:00:00Z', '--to', '2026-02-01T00:00:00Z', '--framework', 'soc2'];
  // [arguments, the file named, read or write]
  const cases = [
    [['pcs', 'build', '--csv', absent, '--shard', 's', '--epoch', '1'], absent, 'read'],
    [['pcs', 'build', '--csv', `${root}tests/data/tiny_case_1.csv`, '--shard', 's', '--epoch', '1', '--out', nowhere], nowhere, 'write'],
    [['pcs', 'verify', absent, '--key-file', absent], absent, 'read'],
    [['keygen', 'ed25519', '--out', nowhere], nowhere, 'write'],
    [['audit', 'verify', absent], absent, 'read'],
    [['audit', 'cloudevents', absent, '--source', 'urn:flk'], absent, 'read'],
    [['anomaly', 'fit', '--in', absent, '--out', join(dir, 'm.json')], absent, 'read'],
    [['anomaly', 'fit', '--in', join(dir, 'io-series.csv'), '--out', nowhere, '--detector', 'zscore', '--quiet'], nowhere, 'write'],
    [['anomaly', 'score', '--model', absent, '--in', join(dir, 'io-series.csv'), '--out', join(dir, 's.jsonl')], absent, 'read'],
    [['anomaly', 'eval', '--data', absent, '--bench', 'nab'], `${absent}/nab/series.csv`, 'read'],
    [['hrs', 'train', '--data', absent, '--out', join(dir, 'm.json')], absent, 'read'],
    [['hrs', 'eval', '--model', absent, '--data', jsonl], absent, 'read'],
    [['hrs', 'eval', '--data', absent], absent, 'read'],
    [['hrs', 'score', '--in', absent, '--out', join(dir, 'p.jsonl')], absent, 'read'],
    [['hrs', 'score', '--in', jsonl, '--out', nowhere], nowhere, 'write'],
    [['ensemble', 'eval', '--data', absent], absent, 'read'],
    [['verify', '--in', absent], absent, 'read'],
    [['verify', '--in', jsonl, '--policy', absent], absent, 'read'],
    [['verify', '--in', jsonl, '--out', nowhere], nowhere, 'write'],
    [['cost', 'import-billing', absent], absent, 'read'],
    [['cost', 'report', '--usage', absent], absent, 'read'],
    [['cost', 'reconcile', '--usage', absent, '--billing', absent], absent, 'read'],
    [['cost', 'forecast', '--series', absent], absent, 'read'],
    [['cost', 'forecast', '--billing', absent], absent, 'read'],
    [['cost', 'advise', '--usage', jsonl, '--evidence', absent], absent, 'read'],
    [['compliance', 'report', absent, ...period], absent, 'read'],
    [['pii', 'scan', absent], absent, 'read'],
    [['pii', 'redact', absent, '--mode', 'tag'], absent, 'read'],
    [['pii', 'redact', text, '--mode', 'pseudonym', '--key', absent], absent, 'read'],
    [['pii', 'eval', absent], absent, 'read'],
    [['policy', 'validate', '--policy', absent], absent, 'read'],
    [['policy', 'sign', '--policy', `${policy}routing.json`, '--key-file', absent], absent, 'read'],
    [['policy', 'sign', '--policy', `${policy}routing.json`, '--key-file', key, '--out', nowhere], nowhere, 'write'],
    [['policy', 'evaluate', '--policy', `${policy}routing.json`, '--request', absent], absent, 'read'],
    [['policy', 'simulate', '--policy', `${policy}routing.json`, '--against', absent], absent, 'read'],
    [['canary', 'gate', '--policy', `${policy}canary.json`, '--baseline', absent, '--canary', absent], absent, 'read'],
    [['canary', 'step', '--policy', `${policy}canary.json`, '--verdict', 'pass', '--state', absent], absent, 'read'],
  ];
  // A write that fails only when flushed (a full disk) is caught too.
  if (existsSync('/dev/full')) cases.push([['keygen', 'hmac', '--out', '/dev/full'], '/dev/full', 'write']);
  for (const [args, path, verb] of cases) {
    const r = flk(args, '');
    const what = args.join(' ');
    assert.equal(r.status, 2, `${what}: ${r.stderr}${r.stdout}`);
    assert.deepEqual(JSON.parse(r.stdout), { error: { code: 'io', message: `cannot ${verb} ${path}`, path } }, what);
    assert.doesNotMatch(r.stderr, /see flk --help/, what);
  }
  // A directory given for a file opens but reads as nothing: `audit verify DIR` said valid (exit 0) and
  // `cost report --usage DIR` printed an empty table.
  for (const args of [['audit', 'verify', dir], ['cost', 'report', '--usage', dir], ['cost', 'import-billing', dir],
    ['hrs', 'score', '--in', dir, '--out', join(dir, 'p.jsonl')], ['verify', '--in', dir], ['pii', 'scan', dir],
    ['anomaly', 'fit', '--in', dir, '--out', join(dir, 'm.json')]]) {
    const r = flk(args, '');
    assert.equal(r.status, 2, args.join(' '));
    assert.deepEqual(JSON.parse(r.stdout).error, { code: 'io', message: `cannot read ${dir}`, path: dir }, args.join(' '));
  }
  // Every command that takes a file is in the table: all of flk --help but the stdin-only ones.
  const names = new Set([...flk(['--help']).stdout.matchAll(/^  flk ([a-z]\S*)/gm)].map((m) => m[1]));
  for (const name of ['call', 'batch', 'ops', '--version']) names.delete(name);
  assert.deepEqual([...names].filter((n) => !cases.some(([args]) => args[0] === n)), []);
  // A store directory without flk-server's database is io too, naming the file it looked for.
  const store = flk(['compliance', 'report', '--data', absent, ...period]);
  assert.equal(store.status, 2, store.stderr);
  assert.deepEqual(JSON.parse(store.stdout).error, { code: 'io', message: `no flk-server store in ${absent} (flk.sqlite)`, path: `${absent}/flk.sqlite` });
});

test('flk pii redact --mode pseudonym without --key names the flag, not the op\'s fields', () => {
  writeFileSync(join(dir, 'pii.txt'), 'mail jane.doe@example.com\n');
  const r = flk(['pii', 'redact', join(dir, 'pii.txt'), '--mode', 'pseudonym']);
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stderr, 'flk: pii redact --mode pseudonym needs --key KEYFILE (flk keygen hmac --out KEYFILE) (see flk --help)\n');
});

test('an unknown policy or canary subcommand is named as such, before any flag is asked for', () => {
  for (const [args, message] of [
    [['policy', 'frobnicate'], 'policy takes validate, hash, sign, verify, evaluate or simulate'],
    [['policy', 'frobnicate', '--policy', join(dir, 'absent.json')], 'policy takes validate, hash, sign, verify, evaluate or simulate'],
    [['canary', 'frobnicate'], 'canary takes gate, step, cohort or status'],
    [['policy'], 'policy takes validate, hash, sign, verify, evaluate or simulate'],
  ]) {
    const r = flk(args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr, `flk: ${message} (see flk --help)\n`, args.join(' '));
  }
});

test('flk CMD --help prints that command\'s usage and exits 0, for every command', () => {
  const top = flk(['--help']);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /^  flk --version  +the version\n  flk CMD --help  +that command's usage\n/m);
  assert.equal(flk(['--version']).stdout, `${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}\n`);
  const names = [...top.stdout.matchAll(/^  flk ([a-z]\S*)/gm)].map((m) => m[1]);
  assert.ok(names.length >= 15, top.stdout);
  for (const name of new Set(names)) {
    for (const args of [[name, '--help'], [name, 'x', '-h']]) {
      const r = flk(args, '');
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage:\\n  flk ${name}\\b`), args.join(' '));
      assert.match(r.stdout, /exit status: 0 ok, 1 usage error/);
    }
  }
  // the options the docs use are in the usage
  assert.match(flk(['hrs', 'eval', '--help']).stdout, /--probes/);
  assert.match(flk(['compliance', '--help']).stdout, /\[--store postgres:\/\/\.\.\.\] \[--data DIR\]/);
  assert.match(flk(['cost', 'advise', '--help']).stdout, /flk cost advise --usage FILE/);
  assert.match(flk(['anomaly', 'fit', '--help']).stdout, /--detector ae\|vae\|iforest\|zscore/);
});

test('a flag value that is not a number is a usage error naming it, not an abort or a silent 0', () => {
  const examples = join(dir, 'one.jsonl');
  writeFileSync(examples, '{"id":"a","source":"s","answer":"x","label":0}\n');
  writeFileSync(join(dir, 'msg.txt'), 'nothing personal\n');
  const hrs = ['hrs', 'train', '--data', join(dir, 'absent.jsonl'), '--out', join(dir, 'm.json')];
  for (const [args, flag, value, kind] of [
    [hrs, '--folds', 'abc', 'an integer from 2 to 10'],  // hrs and ensemble aborted (exit 134) on these
    [hrs, '--seed', '99999999999999999999', 'an integer of at least 0'],
    [hrs, '--learning-rate', 'nan', 'a number from 0.0001 to 1'],
    [['ensemble', 'eval', '--data', examples], '--folds', 'abc', 'an integer from 3 to 10'],
    [['ensemble', 'eval', '--data', examples], '--budget', 'lots', 'a number from 0 to 1'],
    [['canary', 'cohort', '--rollout', 'r', '--key', 'k'], '--percent', 'x', 'an integer from 0 to 100'],  // read as 0 before
    [['pii', 'scan', join(dir, 'msg.txt')], '--limit', 'q', 'an integer from 0 to 1000000'],
  ]) {
    const r = flk([...args, flag, value]);
    assert.equal(r.status, 1, `${args[0]} ${flag}: ${r.stderr}`);
    assert.equal(r.stderr, `flk: ${args[0]} ${args[1]}: ${flag} takes ${kind}, got "${value}" (see flk --help)\n`);
  }
});

test('node js/cli.mjs: --help prints the usage and exits 0; an unknown engine is named', () => {
  const js = (args) => spawnSync(process.execPath, [`${root}js/cli.mjs`, ...args], { input: '{}', encoding: 'utf8' });
  const help = js(['--help']);
  assert.equal(help.status, 0);
  assert.equal(help.stdout, 'usage: node js/cli.mjs [--engine wasm|wasi] call OP | batch | ops\n');
  const bad = js(['--engine', 'native', 'call', 'version']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^js\/cli\.mjs: unknown engine "native"\nusage: /);
});
