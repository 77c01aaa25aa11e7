// The conformance cases of @bufbuild/cel-spec (the CEL specification's suite) as policy.cel_eval
// calls: every case of a section, its input and how to judge the answer.
import { tests } from '@bufbuild/cel-spec/testdata/conformance.js';

// Tagged values compared after one normalisation: absent repeated fields are empty, numbers of
// doubleValue are numbers or the names of the non-finite ones.
export function normalise(v) {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(normalise);
  if ('listValue' in v) return { listValue: { values: (v.listValue.values ?? []).map(normalise) } };
  if ('mapValue' in v)
    return {
      mapValue: {
        entries: (v.mapValue.entries ?? []).map((e) => ({ key: normalise(e.key), value: normalise(e.value) })),
      },
    };
  if ('int64Value' in v) return { int64Value: String(v.int64Value) };
  if ('uint64Value' in v) return { uint64Value: String(v.uint64Value) };
  if ('doubleValue' in v) return { doubleValue: typeof v.doubleValue === 'number' ? v.doubleValue : v.doubleValue };
  if ('nullValue' in v) return { nullValue: null };
  return v;
}

// [{ section: "basic/variables", name, input, expect: { value } | { error: true } }]
export function conformanceCases() {
  const out = [];
  for (const suite of tests.suites)
    for (const section of suite.suites ?? [])
      for (const t of section.tests ?? []) {
        const o = t.original;
        const bindings = {};
        for (const [k, b] of Object.entries(o.bindings ?? {})) bindings[k] = b.value;
        const input = { expr: o.expr };
        if (Object.keys(bindings).length) input.bindings = bindings;
        const expected = o.value ?? o.typedResult?.result;
        const expect = o.evalError || o.anyEvalErrors ? { error: true } : expected ? { value: normalise(expected) } : { value: { boolValue: true } };
        out.push({ section: `${suite.name}/${section.name}`, name: t.name ?? o.name, input, expect, original: o });
      }
  return out;
}

export function passes(c, line) {
  const got = JSON.parse(line);
  if (c.expect.error) return Boolean(got.error);
  if (got.error) return false;
  return JSON.stringify(normalise(got.value)) === JSON.stringify(c.expect.value);
}

export const claimed = [
  'basic/self_eval_zeroish', 'basic/self_eval_nonzeroish', 'basic/variables', 'basic/reserved_const',
  'comparisons/eq_literal', 'comparisons/ne_literal', 'comparisons/lt_literal', 'comparisons/gt_literal',
  'comparisons/lte_literal', 'comparisons/gte_literal', 'comparisons/in_list_literal', 'comparisons/in_map_literal',
  'comparisons/bound', 'fields/map_fields', 'fields/map_has', 'fields/in', 'fp_math/fp_math',
  'integer_math/int64_math', 'integer_math/uint64_math', 'lists/concatenation', 'lists/index', 'lists/in',
  'lists/size', 'logic/conditional', 'logic/AND', 'logic/OR', 'logic/NOT', 'parse/nest', 'parse/repeat',
  'parse/string_literals', 'string/size', 'string/starts_with', 'string/ends_with', 'string/concatenation',
  'string/contains',
];

// Features outside the subset, recognised in the expression's text.
export const outside = [
  ['bytes', /(^|[^A-Za-z0-9_'"])[bB][rR]?['"]/],
  ['messages', /[A-Z][A-Za-z0-9]*\s*\{|google\.protobuf|TestAllTypes/],
  ['conversions and other functions', /\b(int|uint|double|string|bytes|bool|type|duration|timestamp|matches)\(/],
  ['unknown functions are refused at load, not at run time', /\bf_unknown\(/],
];
export const outsideReason = (expr) => outside.find(([, re]) => re.test(expr))?.[0];
