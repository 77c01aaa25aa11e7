// Policy documents and canary statistics checked against independent computations (the hash
// with node:crypto, the signature with tweetnacl, Mann-Whitney U by counting pairs), plus the
// CLI front doors: flk policy … and flk canary ….
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nacl from 'tweetnacl';
import { flkBin, root } from './engines.mjs';

const data = `${root}tests/data/policy/`;
const doc = (f) => JSON.parse(readFileSync(`${data}${f}.json`, 'utf8'));
const golden = JSON.parse(readFileSync(`${root}tests/golden/policy.json`, 'utf8')).cases.map((c) => ({ ...c, input: c.input ?? JSON.parse(c.input_json) }));
const call = (op, input) => JSON.parse(spawnSync(flkBin, ['call', op], { input: JSON.stringify(input), encoding: 'utf8' }).stdout);
const flk = (...args) => spawnSync(flkBin, args, { encoding: 'utf8' });

// Canonical JSON for ASCII documents: keys sorted at every level, compact.
const canonical = (v) =>
  Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
  : JSON.stringify(v);

test('the hash is sha256 of the canonical JSON without the signature', () => {
  for (const f of ['routing', 'ensemble', 'budget', 'canary']) {
    const d = doc(f);
    const want = 'sha256:' + createHash('sha256').update(canonical(d)).digest('hex');
    assert.equal(call('policy.hash', { policy: d }).hash, want, f);
  }
});

test('signatures: Ed25519 over the tagged canonical JSON; tampering and other keys are caught', () => {
  const seed = Buffer.alloc(32, 7);
  const signed = call('policy.sign', { policy: doc('routing'), seed_b64: seed.toString('base64') }).policy;
  const kp = nacl.sign.keyPair.fromSeed(seed);
  assert.equal(signed.signature.public_key_b64, Buffer.from(kp.publicKey).toString('base64'));
  const { signature, ...body } = signed;
  const payload = Buffer.from('flk-policy-signature-v1\n' + canonical(body));
  assert.ok(nacl.sign.detached.verify(payload, Buffer.from(signature.signature_b64, 'base64'), kp.publicKey));
  assert.equal(call('policy.hash', { policy: signed }).hash, call('policy.hash', { policy: doc('routing') }).hash);
  assert.equal(call('policy.verify', { policy: signed }).signature, 'valid');
  const tampered = structuredClone(signed);
  tampered.spec.bands[0].action = 'reject';
  tampered.spec.bands[1] = { ...tampered.spec.bands[1] };
  assert.equal(call('policy.verify', { policy: tampered }).signature, 'invalid');
  const other = Buffer.from(nacl.sign.keyPair.fromSeed(Buffer.alloc(32, 8)).publicKey).toString('base64');
  assert.equal(call('policy.verify', { policy: signed, public_key_b64: other }).signature, 'wrong_key');
});

// U of the canary cohort by counting pairs (ties count one half), and the tie-corrected z.
function reference(b, c, lowerIsBetter) {
  let u = 0;
  for (const x of c) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  const counts = new Map();
  for (const x of [...b, ...c]) counts.set(x, (counts.get(x) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * t * t - t;
  const n = b.length + c.length;
  const mu = (b.length * c.length) / 2;
  const sigma = Math.sqrt(((b.length * c.length) / 12) * (n + 1 - ties / (n * (n - 1))));
  return { u, z: ((lowerIsBetter ? u - mu : mu - u) - 0.5) / sigma };
}

test('canary.gate: U and z agree with a pair-counting reference on every golden gate', () => {
  const gates = golden.filter((c) => c.op === 'canary.gate' && !c.expect.error);
  assert.ok(gates.length >= 4);
  for (const g of gates) {
    const dirs = Object.fromEntries(g.input.policy.spec.metrics.map((m) => [m.name, m.direction === 'lower_is_better']));
    for (const m of g.expect.metrics) {
      if (m.reason === 'too_few_samples') continue;
      const s = g.input.samples[m.name];
      const ref = reference(s.baseline, s.canary, dirs[m.name]);
      assert.equal(m.u, ref.u, `${g.name} ${m.name} U`);
      if (Number.isFinite(ref.z)) assert.ok(Math.abs(m.z - ref.z) < 1e-9, `${g.name} ${m.name} z ${m.z} vs ${ref.z}`);
    }
  }
  const verdicts = Object.fromEntries(gates.map((g) => [g.name, g.expect.verdict]));
  assert.equal(verdicts['gate: worse latency fails early'], 'fail');
  assert.equal(verdicts['gate: equal cohorts pass'], 'pass');
  assert.equal(verdicts['gate: too few samples is inconclusive'], 'inconclusive');
  assert.equal(verdicts['gate: slightly worse, not significant yet'], 'inconclusive');
});

test('canary.cohort: shares follow the percentage and a canary request stays canary as the share grows', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `tenant-a/req-${i}`);
  const lines = (percent) =>
    keys.map((key) => JSON.stringify({ op: 'canary.cohort', input: { rollout: 'r-1', key, percent } })).join('\n') + '\n';
  const run = (percent) =>
    spawnSync(flkBin, ['batch'], { input: lines(percent), encoding: 'utf8' }).stdout.trim().split('\n').map((l) => JSON.parse(l).cohort === 'canary');
  const at10 = run(10), at25 = run(25);
  const share = (v) => v.filter(Boolean).length / v.length;
  assert.ok(Math.abs(share(at10) - 0.1) < 0.025, `10 %: ${share(at10)}`);
  assert.ok(Math.abs(share(at25) - 0.25) < 0.035, `25 %: ${share(at25)}`);
  at10.forEach((c, i) => assert.ok(!c || at25[i], `key ${i} left the canary`));
});

test('canary.cohort: an empty rollout id is refused (every rollout named "" would share one shuffle)', () => {
  assert.deepEqual(call('canary.cohort', { rollout: '', key: 'k', percent: 5 }).error,
    { code: 'bad_length', message: '$.rollout must not be empty', path: '$.rollout' });
  const r = flk('canary', 'cohort', '--rollout', '', '--key', 'k', '--percent', '5');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^flk: --rollout \(op field \$\.rollout\): $/);
  assert.equal(JSON.parse(r.stdout).error.code, 'bad_length');
});

test('flk policy: validate, sign, verify, evaluate, simulate; errors name the path', () => {
  const dir = mkdtempSync(`${tmpdir()}/flk-policy-`);
  const ok = flk('policy', 'validate', '--policy', `${data}routing.json`);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).valid, true);
  const bad = doc('routing');
  bad.spec.bands[3].max_risk = 0.95;
  writeFileSync(`${dir}/bad.json`, JSON.stringify(bad));
  const r = flk('policy', 'validate', '--policy', `${dir}/bad.json`);
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).error.path, '$.policy.spec.bands[4].min_risk');
  assert.equal(flk('keygen', 'ed25519', '--out', `${dir}/k`).status, 0);
  assert.equal(flk('policy', 'sign', '--policy', `${data}routing.json`, '--key-file', `${dir}/k`, '--out', `${dir}/signed.json`).status, 0);
  assert.equal(flk('policy', 'verify', '--policy', `${dir}/signed.json`, '--key-file', `${dir}/k.pub`).status, 0);
  const signed = JSON.parse(readFileSync(`${dir}/signed.json`, 'utf8'));
  signed.metadata.version = 99;
  writeFileSync(`${dir}/tampered.json`, JSON.stringify(signed));
  const t = flk('policy', 'verify', '--policy', `${dir}/tampered.json`, '--key-file', `${dir}/k.pub`);
  assert.equal(t.status, 3);
  assert.equal(JSON.parse(t.stdout).signature, 'invalid');
  writeFileSync(`${dir}/req.json`, JSON.stringify({ tenant: 'acme', risk: 0.4, confidence: 0.9 }));
  const e = JSON.parse(flk('policy', 'evaluate', '--policy', `${data}routing.json`, '--request', `${dir}/req.json`).stdout);
  assert.deepEqual([e.action, e.band, e.budget_factor], ['reduce_budget', 'cheap', 0.5]);
  const sim = flk('policy', 'simulate', '--policy', `${data}routing-strict.json`, '--against', `${data}trace.jsonl`);
  assert.equal(sim.status, 0, sim.stderr);
  const want = golden.find((c) => c.name === 'simulate: strict candidate vs recorded').expect;
  assert.deepEqual(JSON.parse(sim.stdout), want);
  assert.equal(JSON.parse(flk('policy', 'simulate', '--policy', `${data}routing.json`, '--against', `${data}trace.jsonl`).stdout).changed, 0);
});

test('flk canary: a worse canary fails (exit 3), steps roll back after two failures', () => {
  const dir = mkdtempSync(`${tmpdir()}/flk-canary-`);
  const g = golden.find((c) => c.name === 'gate: worse latency fails early').input.samples;
  const rows = (cohort) =>
    g.latency_ms[cohort].map((x, i) => JSON.stringify({ latency_ms: x, error_rate: g.error_rate[cohort][i], containment: g.containment[cohort][i] })).join('\n') + '\n';
  writeFileSync(`${dir}/b.jsonl`, rows('baseline'));
  writeFileSync(`${dir}/c.jsonl`, rows('canary'));
  const r = flk('canary', 'gate', '--policy', `${data}canary.json`, '--baseline', `${dir}/b.jsonl`, '--canary', `${dir}/c.jsonl`);
  assert.equal(r.status, 3, r.stderr);
  assert.equal(JSON.parse(r.stdout).verdict, 'fail');
  let state;
  for (const verdict of ['pass', 'fail', 'fail']) {
    if (state) writeFileSync(`${dir}/state.json`, JSON.stringify({ step: state.step, failed_gates: state.failed_gates, status: state.status }));
    const s = flk('canary', 'step', '--policy', `${data}canary.json`, '--verdict', verdict, ...(state ? ['--state', `${dir}/state.json`] : []));
    state = JSON.parse(s.stdout).state;
  }
  assert.deepEqual(state, { step: 1, failed_gates: 2, status: 'rolled_back', percent: 0 });
});

test('YAML twins: policy_yaml gives the JSON file\'s id, hash and signature; flk reads .yaml; errors give line:column and path', () => {
  const text = (f) => readFileSync(`${data}${f}`, 'utf8');
  const seed_b64 = Buffer.alloc(32, 9).toString('base64');
  for (const [y, j] of [['routing.yaml', 'routing'], ['canary.yaml', 'canary'], ['budget.yml', 'budget']]) {
    const fromYaml = call('policy.hash', { policy_yaml: text(y) });
    const fromJson = call('policy.hash', { policy: doc(j) });
    assert.deepEqual(fromYaml, fromJson, y);
    assert.deepEqual(call('policy.sign', { policy_yaml: text(y), seed_b64 }), call('policy.sign', { policy: doc(j), seed_b64 }), y);
    const cli = flk('policy', 'hash', '--policy', `${data}${y}`);
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).hash, fromJson.hash, y);
  }
  const sim = flk('policy', 'simulate', '--policy', `${data}routing.yaml`, '--baseline', `${data}routing-strict.json`, '--against', `${data}trace.jsonl`);
  assert.equal(sim.status, 0, sim.stderr);
  const viaOp = call('policy.simulate', {
    policy_yaml: text('routing.yaml'),
    baseline: doc('routing-strict'),
    trace: readFileSync(`${data}trace.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
  });
  assert.deepEqual(JSON.parse(sim.stdout), viaOp);
  assert.equal(viaOp.policy.hash, call('policy.hash', { policy: doc('routing') }).hash);
  // The server's flags go with simulate --server only, never silently ignored.
  assert.equal(flk('policy', 'simulate', '--policy', `${data}routing.yaml`, '--against', `${data}trace.jsonl`, '--limit', '5').status, 1);
  assert.equal(flk('policy', 'hash', '--policy', `${data}routing.yaml`, '--server', 'http://127.0.0.1:1').status, 1);
  const gate = flk('canary', 'step', '--policy', `${data}canary.yaml`, '--verdict', 'pass');
  assert.equal(gate.status, 0, gate.stderr);
  assert.equal(JSON.parse(gate.stdout).state.percent, 10);
  // A validation error lands on the path under policy_yaml; a YAML error names line:column too.
  const gap = call('policy.validate', { policy_yaml: text('routing.yaml').replace('max_risk: 0.5\n', 'max_risk: 0.55\n') });
  assert.deepEqual([gap.error.code, gap.error.path], ['out_of_range', '$.policy_yaml.spec.bands[2].min_risk']);
  assert.match(gap.error.message, /^22:22: /, 'where the key is in the text');
  const gapFile = `${mkdtempSync(`${tmpdir()}/flk-policy-gap-`)}/gap.yaml`;
  writeFileSync(gapFile, text('routing.yaml').replace('max_risk: 0.5\n', 'max_risk: 0.55\n'));
  const gapCli = flk('policy', 'validate', '--policy', gapFile);
  assert.equal(gapCli.status, 2);
  assert.deepEqual(JSON.parse(gapCli.stdout).error, gap.error, 'flk sends a .yaml file as its text');
  const alias = call('policy.validate', { policy_yaml: text('routing.yaml').replace('version: 3', 'version: *v') });
  assert.deepEqual(alias.error, { code: 'bad_yaml', message: '6:12: an alias (*): anchors and aliases are not accepted', path: '$.policy_yaml.metadata.version' });
  assert.equal(call('policy.validate', { policy: doc('routing'), policy_yaml: text('routing.yaml') }).error.code, 'conflicting_fields');
  const dir = mkdtempSync(`${tmpdir()}/flk-policy-yaml-`);
  writeFileSync(`${dir}/tab.yaml`, 'apiVersion: flk.dev/policy/v1\nmetadata:\n\tname: x\n');
  const tab = flk('policy', 'validate', '--policy', `${dir}/tab.yaml`);
  assert.equal(tab.status, 2);
  assert.deepEqual(JSON.parse(tab.stdout).error, { code: 'bad_yaml', message: `${dir}/tab.yaml: 3:1: a tab in indentation (indent with spaces)`, path: '$.metadata' });
});

test('policy.simulate refuses a trace whose attributes times the expression cost exceed the work bound', () => {
  const heavy = doc('routing-strict');
  const clause = Array.from({ length: 40 }, (_, i) => `attributes.note.contains('${i}')`).join(' || ');
  heavy.spec.overrides = Array.from({ length: 16 }, () => ({ when: clause, action: 'human_review' }));
  const note = 'x'.repeat(16000);
  const trace = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, tenant: 'acme', risk: 0.1, action: 'accept', attributes: { note } }));
  assert.equal(call('policy.validate', { policy: heavy }).valid, true);
  assert.deepEqual(call('policy.simulate', { policy: heavy, trace }).error?.code, 'too_large');
  assert.equal(call('policy.simulate', { policy: heavy, trace: trace.slice(0, 2) }).requests, 2);
});

// A validator for the JSON Schema keywords docs/policy.schema.json uses; run beside the core on
// documents it accepts and on documents with one shape error each, the two must agree.
function conforms(schema, v) {
  if (schema.oneOf) return schema.oneOf.filter((s) => conforms(s, v)).length === 1;
  if (schema.enum && !schema.enum.includes(v)) return false;
  const type = schema.type;
  if (type === 'string') {
    if (typeof v !== 'string' || Buffer.byteLength(v) > schema.maxLength) return false;
    if (schema.pattern && !new RegExp(schema.pattern).test(v)) return false;
  }
  if (type === 'integer' && !Number.isInteger(v)) return false;
  if ((type === 'number' || type === 'integer') && (typeof v !== 'number' || v < schema.minimum || v > schema.maximum)) return false;
  if (type === 'boolean' && typeof v !== 'boolean') return false;
  if (type === 'array') {
    if (!Array.isArray(v) || v.length < schema.minItems || v.length > schema.maxItems) return false;
    return v.every((x) => conforms(schema.items, x));
  }
  if (type === 'object') {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const keys = Object.keys(v);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return false;
    if (schema.propertyNames && !keys.every((k) => conforms({ type: 'string', maxLength: Infinity, ...schema.propertyNames }, k))) return false;
    if ((schema.required ?? []).some((k) => !(k in v))) return false;
    for (const k of keys) {
      const sub = schema.properties ? schema.properties[k] : schema.additionalProperties;
      if (!sub) return false;
      if (!conforms(sub, v[k])) return false;
    }
  }
  return true;
}

test('docs/policy.schema.json and the core agree on the golden documents', () => {
  const schema = JSON.parse(readFileSync(`${root}docs/policy.schema.json`, 'utf8'));
  assert.deepEqual(call('policy.schema', {}).schema, schema);
  const shapeCodes = new Set(['missing_field', 'unknown_field', 'wrong_type', 'bad_format', 'bad_length', 'too_large']);
  let checked = 0;
  for (const c of golden.filter((g) => g.op === 'policy.validate')) {
    const code = c.expect.error?.code;
    // Errors beyond a schema (band tiling, expressions, ensemble rules) are the core's alone.
    const path = c.expect.error?.path ?? '';
    const coreOnly = /\.(budget_factor|region|degrade_factor)$/.test(path) ||
      (code && !shapeCodes.has(code) && !(code === 'out_of_range' && /\.(action|kind|min_confidence)$/.test(path)));
    if (coreOnly) continue;
    assert.equal(conforms(schema, c.input.policy), !code, c.name);
    checked++;
  }
  assert.ok(checked >= 10, `${checked} documents compared`);
});
