// Writes policy.json: policy documents validated, hashed, signed and verified; RiskRoutingPolicy,
// BudgetPolicy and EnsemblePolicy evaluation; the simulator over tests/data/policy/trace.jsonl;
// canary gates on seeded samples, steps to promotion and rollback, cohorts; CEL expressions; and
// typed errors at their paths. Expectations come from the native build
// (node tests/golden/make_policy.mjs after `scripts/build.sh native`); the golden test then
// requires every build to print the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { expectFromNative } from './native_expect.mjs';

const root = new URL('../../', import.meta.url).pathname;
const doc = (f) => JSON.parse(readFileSync(`${root}tests/data/policy/${f}.json`, 'utf8'));
const trace = readFileSync(`${root}tests/data/policy/trace.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const cases = [];
const add = (name, op, input, expect) => cases.push({ name, op, input, expect });
const err = (code, path) => ({ error: path ? { code, path } : { code } });
const edit = (d, fn) => {
  const c = structuredClone(d);
  fn(c);
  return c;
};

const routing = doc('routing');
const strict = doc('routing-strict');
const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
for (const f of ['routing', 'routing-strict', 'ensemble', 'budget', 'canary']) {
  add(`validate ${f}`, 'policy.validate', { policy: doc(f) });
  add(`hash ${f}`, 'policy.hash', { policy: doc(f) });
}
add('sign routing', 'policy.sign', { policy: routing, seed_hex: seed });
// YAML twins (policy_yaml): the reader's output is the JSON file's value, so the same hash.
const text = (f) => readFileSync(`${root}tests/data/policy/${f}`, 'utf8');
for (const f of ['routing.yaml', 'canary.yaml', 'budget.yml']) add(`hash ${f}`, 'policy.hash', { policy_yaml: text(f) });
add('sign routing.yaml', 'policy.sign', { policy_yaml: text('routing.yaml'), seed_hex: seed });
add('evaluate routing.yaml', 'policy.evaluate',
  { policy_yaml: text('routing.yaml'), request: { tenant: 'acme', risk: 0.55, attributes: { region: 'eu', tags: ['gdpr'] } } });
add('simulate: strict candidate vs YAML baseline', 'policy.simulate', { policy: strict, baseline_yaml: text('routing.yaml'), trace });
add('from_yaml: every construct', 'policy.from_yaml', {
  text: "# c\n---\nmap: {a: 1, 'b': [x, \"y\\t\\u00e9\"], c: ~}\nseq:\n- 0x1F\n- 0o17\n- -.5e3\n- yes\n- |+\n  lit\n\n- >-\n  fold\n  ed\n- plain\n  folded\n...\n",
});
add('from_yaml: anchor refused', 'policy.from_yaml', { text: 'a: &x 1\nb: *x\n' }, err('bad_yaml', '$.text.a'));
add('from_yaml: tab in indentation', 'policy.from_yaml', { text: 'a:\n\tb: 1\n' }, err('bad_yaml', '$.text.a'));
add('from_yaml: duplicate key', 'policy.from_yaml', { text: 'a:\n  b: 1\n  b: 2\n' }, err('duplicate_key', '$.text.a'));
add('from_yaml: second document', 'policy.from_yaml', { text: 'a: 1\n---\nb: 2\n' }, err('bad_yaml', '$.text'));
add('from_yaml: .inf', 'policy.from_yaml', { text: '[1, .inf]' }, err('bad_yaml', '$.text[1]'));
add('validate YAML: band gap', 'policy.validate', { policy_yaml: text('routing.yaml').replace('max_risk: 0.5\n', 'max_risk: 0.55\n') },
  err('out_of_range', '$.policy_yaml.spec.bands[2].min_risk'));
add('validate: policy and policy_yaml', 'policy.validate', { policy: routing, policy_yaml: text('routing.yaml') },
  err('conflicting_fields', '$.policy_yaml'));
add('validate: neither policy nor policy_yaml', 'policy.validate', {}, err('missing_field', '$.policy'));
add('validate: band gap', 'policy.validate', { policy: edit(routing, (d) => (d.spec.bands[2].min_risk = 0.55)) },
  err('out_of_range', '$.policy.spec.bands[2].min_risk'));
add('validate: last band short of 1', 'policy.validate', { policy: edit(routing, (d) => (d.spec.bands[4].max_risk = 0.99)) },
  err('out_of_range', '$.policy.spec.bands[4].max_risk'));
add('validate: reduce_budget without factor', 'policy.validate',
  { policy: edit(routing, (d) => delete d.spec.bands[1].budget_factor) }, err('missing_field', '$.policy.spec.bands[1].budget_factor'));
add('validate: region on accept', 'policy.validate', { policy: edit(routing, (d) => (d.spec.bands[0].region = 'eu')) },
  err('conflicting_fields', '$.policy.spec.bands[0].region'));
add('validate: unknown field', 'policy.validate', { policy: edit(routing, (d) => (d.spec.scorer.modle = 'x')) },
  err('unknown_field', '$.policy.spec.scorer.modle'));
add('validate: bad action', 'policy.validate', { policy: edit(routing, (d) => (d.spec.bands[0].action = 'allow')) },
  err('out_of_range', '$.policy.spec.bands[0].action'));
add('validate: CEL syntax', 'policy.validate', { policy: edit(routing, (d) => (d.spec.selector = 'tenant ==')) },
  err('cel_syntax', '$.policy.spec.selector'));
add('validate: CEL cost', 'policy.validate',
  { policy: edit(routing, (d) => (d.spec.selector = Array(130).fill("tenant.contains('x')").join(' || '))) },
  err('cel_cost', '$.policy.spec.selector'));
add('validate: CEL macro refused', 'policy.validate',
  { policy: edit(routing, (d) => (d.spec.selector = 'attributes.tags.exists(t, t == "x")')) }, err('cel_syntax', '$.policy.spec.selector'));
add('validate: bad name', 'policy.validate', { policy: edit(routing, (d) => (d.metadata.name = 'Acme Routing')) },
  err('bad_format', '$.policy.metadata.name'));
add('validate: bad kind', 'policy.validate', { policy: edit(routing, (d) => (d.kind = 'RoutingPolicy')) },
  err('out_of_range', '$.policy.kind'));
add('validate: version as text', 'policy.validate', { policy: edit(routing, (d) => (d.metadata.version = '3')) },
  err('wrong_type', '$.policy.metadata.version'));
add('validate: no name', 'policy.validate', { policy: edit(routing, (d) => delete d.metadata.name) },
  err('missing_field', '$.policy.metadata.name'));
add('validate: seventeen bands', 'policy.validate',
  { policy: edit(routing, (d) => (d.spec.bands = Array.from({ length: 17 }, (_, i) => ({ name: `b${i}`, min_risk: i / 17, max_risk: (i + 1) / 17, action: 'accept' })))) },
  err('bad_length', '$.policy.spec.bands'));
add('validate: label key', 'policy.validate', { policy: edit(routing, (d) => (d.metadata.labels = { Team: 'x' })) },
  err('bad_format', '$.policy.metadata.labels.Team'));
add('validate: budget unknown field', 'policy.validate', { policy: edit(doc('budget'), (d) => (d.spec.daily_usd = 5)) },
  err('unknown_field', '$.policy.spec.daily_usd'));
add('validate: min_confidence above 1', 'policy.validate', { policy: edit(routing, (d) => (d.spec.scorer.min_confidence = 1.5)) },
  err('out_of_range', '$.policy.spec.scorer.min_confidence'));
add('validate: ensemble thresholds', 'policy.validate',
  { policy: edit(doc('ensemble'), (d) => Object.assign(d.spec, { accept_below: 0.9, reject_at: 0.5 })) },
  err('out_of_range', '$.policy.spec.accept_below'));
add('validate: ensemble cascade with stacker', 'policy.validate',
  { policy: edit(doc('ensemble'), (d) => (d.spec.method = 'stacker')) }, err('conflicting_fields', '$.policy.spec.cascade'));
add('validate: canary steps', 'policy.validate', { policy: edit(doc('canary'), (d) => (d.spec.steps = [5, 50, 25, 100])) },
  err('out_of_range', '$.policy.spec.steps[2]'));
add('validate: canary duplicate metric', 'policy.validate',
  { policy: edit(doc('canary'), (d) => d.spec.metrics.push(d.spec.metrics[0])) }, err('duplicate_key', '$.policy.spec.metrics[3].name'));

const request = (tenant, risk, extra = {}) => ({ tenant, risk, ...extra });
for (const [name, req] of [
  ['low', request('acme', 0.1, { confidence: 0.9 })],
  ['reduce_budget band', request('acme', 0.35, { confidence: 0.9 })],
  ['medium', request('acme', 0.55, { confidence: 0.9 })],
  ['override alternate_region', request('acme-eu', 0.55, { confidence: 0.9, attributes: { region: 'eu', tags: ['gdpr'] } })],
  ['override vip', request('acme', 0.2, { attributes: { vip: true } })],
  ['low confidence', request('acme', 0.1, { confidence: 0.3 })],
  ['scorer failed (closed)', request('acme', 0.1, { scorer_failed: true })],
  ['late scorer (closed)', request('acme', 0.1, { latency_ms: 400 })],
  ['last band closed at 1', request('acme', 1)],
  ['not selected', request('globex', 0.5)],
])
  add(`evaluate routing: ${name}`, 'policy.evaluate', { policy: routing, request: req });
add('evaluate routing: fail open', 'policy.evaluate',
  { policy: edit(routing, (d) => (d.spec.fail_mode = 'open')), request: request('acme', 0.95, { scorer_failed: true }) });
add('evaluate routing: missing key in override', 'policy.evaluate',
  { policy: edit(routing, (d) => (d.spec.overrides[0].when = "attributes.region == 'eu'")), request: request('acme', 0.55) },
  err('cel_eval', '$.policy.spec.overrides[0].when'));
add('evaluate budget: ok', 'policy.evaluate', { policy: doc('budget'), request: { spent_today_usd: 10, request_cost_usd: 0.1 } });
add('evaluate budget: warn', 'policy.evaluate', { policy: doc('budget'), request: { spent_month_usd: 850 } });
add('evaluate budget: exhausted', 'policy.evaluate', { policy: doc('budget'), request: { spent_today_usd: 49.95, request_cost_usd: 0.1 } });
add('evaluate budget: request over its limit', 'policy.evaluate', { policy: doc('budget'), request: { request_cost_usd: 0.6 } });
add('evaluate ensemble', 'policy.evaluate', { policy: doc('ensemble') });
add('evaluate canary refused', 'policy.evaluate', { policy: doc('canary') }, err('out_of_range', '$.policy.kind'));

add('simulate: recorded policy replays unchanged', 'policy.simulate', { policy: routing, trace });
add('simulate: strict candidate vs recorded', 'policy.simulate', { policy: strict, trace });
add('simulate: strict candidate vs baseline policy', 'policy.simulate', { policy: strict, baseline: routing, trace });
add('simulate: action needed without baseline', 'policy.simulate',
  { policy: strict, trace: [{ id: 'x', tenant: 'acme', risk: 0.1 }] }, err('missing_field', '$.trace[0].action'));
add('simulate: bad label', 'policy.simulate', { policy: strict, trace: [{ ...trace[0], label: 'bad' }] },
  err('out_of_range', '$.trace[0].label'));

// Seeded samples (a 32-bit LCG, so the inputs are the same wherever this runs).
const rng = (s) => () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const cohort = (n, seedValue, latencyScale, errorP) => {
  const r = rng(seedValue);
  const lat = [], errs = [], cont = [];
  for (let i = 0; i < n; i++) {
    lat.push(Math.round((80 + 120 * r() + 60 * r()) * latencyScale * 1000) / 1000);
    errs.push(r() < errorP ? 1 : 0);
    cont.push(r() < 0.8 ? 1 : 0);
  }
  return { lat, errs, cont };
};
const samples = (b, c) => ({
  latency_ms: { baseline: b.lat, canary: c.lat },
  error_rate: { baseline: b.errs, canary: c.errs },
  containment: { baseline: b.cont, canary: c.cont },
});
const canary = doc('canary');
const base = cohort(300, 1, 1, 0.02);
add('gate: worse latency fails early', 'canary.gate', { policy: canary, samples: samples(base, cohort(300, 2, 1.3, 0.02)) });
add('gate: equal cohorts pass', 'canary.gate', { policy: canary, samples: samples(base, cohort(300, 3, 1, 0.02)) });
add('gate: too few samples is inconclusive', 'canary.gate', { policy: canary, samples: samples(cohort(20, 4, 1, 0.02), cohort(20, 5, 1, 0.02)) });
add('gate: slightly worse, not significant yet', 'canary.gate',
  { policy: canary, samples: samples(cohort(40, 6, 1, 0.02), cohort(40, 7, 1.16, 0.02)) });
add('gate: predicate fails a passing gate', 'canary.gate',
  { policy: edit(canary, (d) => (d.spec.gate = 'metrics.latency_ms.mean_canary < 100.0')), samples: samples(base, cohort(300, 3, 1, 0.02)) });
add('gate: missing metric', 'canary.gate', { policy: canary, samples: { latency_ms: { baseline: [1], canary: [1] } } },
  err('missing_field', '$.samples.error_rate'));
const running = (step, failed_gates) => ({ step, failed_gates, status: 'running' });
for (const [name, verdict, state] of [
  ['first pass: 5 -> 10 %', 'pass', undefined],
  ['inconclusive holds', 'inconclusive', running(1, 0)],
  ['pass: 10 -> 25 %', 'pass', running(1, 0)],
  ['first failure holds and counts', 'fail', running(2, 0)],
  ['pass after a failure: 25 -> 50 %', 'pass', running(2, 1)],
])
  add(`step: ${name}`, 'canary.step', { policy: canary, verdict, ...(state ? { state } : {}) });
add('step: second failure rolls back', 'canary.step',
  { policy: canary, verdict: 'fail', state: { step: 3, failed_gates: 1, status: 'running' } });
add('step: last pass promotes', 'canary.step', { policy: canary, verdict: 'pass', state: { step: 4, failed_gates: 1, status: 'running' } });
add('step: ended rollout', 'canary.step', { policy: canary, verdict: 'pass', state: { step: 4, failed_gates: 0, status: 'promoted' } },
  err('conflicting_fields', '$.state.status'));
for (const key of ['acme/req-1', 'acme/req-2', 'acme/req-3', 'globex/req-1'])
  add(`cohort ${key}`, 'canary.cohort', { rollout: 'acme-routing@4', key, percent: 25 });

for (const [name, expr, extra] of [
  ['arithmetic', '(1 + 2) * 3 - 4 / 2 % 3'],
  ['uint', '18446744073709551615u / 3u'],
  ['int overflow', '9223372036854775807 + 1'],
  ['double', '1.5e3 + .25'],
  ['strings', "'abc'.startsWith('a') && 'abc'.endsWith('bc') && 'abc'.contains('b') && size('héllo') == 5"],
  ['lists and maps', "[1, 2.0, 3u][1] == 2 && {'a': 1}['a'] in [1] && size({'a': 1, 'b': 2}) == 2"],
  ['ternary', "tenant == 'acme' ? risk * 2.0 : 0.0", { attributes: { tenant: 'acme', risk: 0.25 } }],
  ['error absorbed', "attributes.nope == 1 || true", { attributes: { attributes: {} } }],
  ['error', 'attributes.nope == 1', { attributes: { attributes: {} } }],
  ['division by zero', '1 / 0'],
])
  add(`cel ${name}`, 'policy.cel_eval', { expr, ...(extra ?? {}) },
    /error|overflow|zero/.test(name) && name !== 'error absorbed' ? err('cel_eval', '$.expr') : undefined);

// At the depth bound in every build (the wasm builds have 64 KiB stacks), and one past it.
const depthCases = [
  ['parentheses', '('.repeat(47) + 'true' + ')'.repeat(47)],
  ['prefix operators', '!'.repeat(47) + 'true'],
  ['parentheses around prefix operators', '('.repeat(23) + '!'.repeat(23) + 'true' + ')'.repeat(23)],
  ['lists and indexes', '['.repeat(23) + '1' + ']'.repeat(23) + '[0]'.repeat(23)],
  ['maps', '{1: '.repeat(23) + '1' + '}'.repeat(23) + '[1]'.repeat(23)],
  ['ternaries', 'false ? 0 : '.repeat(46) + '1'],
  ['or chain', Array(47).fill('x.a').join(' || ')],
];
for (const [name, expr] of depthCases) add(`cel depth: ${name}`, 'policy.cel_eval', { expr, attributes: { x: { a: false } } });
add('cel depth: one past the bound', 'policy.cel_eval', { expr: '('.repeat(49) + '1' + ')'.repeat(49) }, err('cel_cost', '$.expr'));
// A value's tagged JSON takes 4 levels per map and 3 per list: 15 maps answer in 62 levels, 16 would
// need 66, past the 64 a JSON reader here accepts, and are refused rather than written.
add('cel value: 15 nested maps', 'policy.cel_eval', { expr: '{1: '.repeat(15) + '1' + '}'.repeat(15) });
add('cel value: 16 nested maps, too deep as JSON', 'policy.cel_eval', { expr: '{1: '.repeat(16) + '1' + '}'.repeat(16) }, err('too_deep', '$.expr'));

expectFromNative(cases, root);
const out = {
  description: 'Policy documents (validate, hash, sign, evaluate, simulate), canary gate/step/cohort and the CEL subset; expectations from the native build (tests/golden/make_policy.mjs).',
  cases,
};
writeFileSync(`${root}tests/golden/policy.json`, JSON.stringify(out, null, 1) + '\n');
console.log(`${cases.length} cases`);
