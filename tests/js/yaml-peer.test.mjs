// The core's YAML reader (policy.from_yaml, and every op's policy_yaml) against the npm `yaml`
// package, a YAML 1.2 parser of its own: the policy examples and their hand-written twins, the
// examples as `yaml` writes them in several styles, and seeded random JSON-compatible values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import { flkBin, root } from './engines.mjs';

const data = `${root}tests/data/policy/`;

// Our reading of many texts in one `flk batch` run: the document, or the error.
function ours(texts) {
  const input = texts.map((text) => JSON.stringify({ op: 'policy.from_yaml', input: { text } })).join('\n') + '\n';
  const r = spawnSync(flkBin, ['batch'], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 2, r.stderr);
  const out = r.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l));
  assert.equal(out.length, texts.length);
  return out.map((o) => ('document' in o ? o.document : o));
}

// The writer styles the generated texts come in.
const STYLES = [
  {},
  { indent: 4, indentSeq: false },
  { lineWidth: 24, minContentWidth: 8 },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { defaultStringType: 'QUOTE_SINGLE' },
  { defaultStringType: 'BLOCK_LITERAL' },
  { defaultStringType: 'BLOCK_FOLDED', lineWidth: 30 },
  { collectionStyle: 'flow' },
  { collectionStyle: 'flow', lineWidth: 30 },
  { directives: false, doubleQuotedAsJSON: true },
];

const jsonFiles = readdirSync(data).filter((f) => f.endsWith('.json')).sort();
const yamlFiles = readdirSync(data).filter((f) => /\.ya?ml$/.test(f)).sort();

test('the hand-written YAML twins read as yaml reads them and as their JSON files', () => {
  assert.ok(yamlFiles.length >= 3);
  const texts = yamlFiles.map((f) => readFileSync(data + f, 'utf8'));
  const got = ours(texts);
  yamlFiles.forEach((f, i) => {
    assert.deepStrictEqual(got[i], YAML.parse(texts[i]), f);
    const twin = JSON.parse(readFileSync(data + f.replace(/\.ya?ml$/, '.json'), 'utf8'));
    assert.deepStrictEqual(got[i], twin, f);
  });
});

test('every policy example, written by yaml in each style, reads back to the same value', () => {
  const texts = [];
  const want = [];
  for (const f of jsonFiles) {
    const v = JSON.parse(readFileSync(data + f, 'utf8'));
    for (const style of STYLES) {
      texts.push(YAML.stringify(v, style));
      want.push(v);
    }
  }
  const got = ours(texts);
  got.forEach((g, i) => {
    assert.deepStrictEqual(YAML.parse(texts[i]), want[i], texts[i]);
    assert.deepStrictEqual(g, want[i], texts[i]);
  });
});

// xorshift64*: a seeded generator so failures are reproducible.
function rng(seed) {
  let s = BigInt(seed);
  return () => {
    s ^= s >> 12n; s ^= (s << 25n) & 0xffffffffffffffffn; s ^= s >> 27n;
    return Number(((s * 2685821657736338717n) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  };
}

// Strings that look like other scalars, hold indicators, blanks, line breaks or non-ASCII.
const PIECES = ['a', 'Zz', ' ', '  ', ':', ': ', '#', ' #', '-', '- ', '?', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>',
  "'", '"', '\\', '\n', '\n\n', '\t', 'true', 'null', '~', '0x1F', '1e3', '.inf', '12', '-7.5', 'é', '😀', '\u2028', '\x01',
  '\x7f', '%', '@', '`', '---', '...', '<<'];

function value(r, depth) {
  const pick = r();
  if (depth > 3 || pick < 0.55) {
    const k = r();
    if (k < 0.1) return null;
    if (k < 0.2) return r() < 0.5;
    if (k < 0.35) return Math.floor((r() - 0.5) * 2 ** (1 + Math.floor(r() * 52)));
    if (k < 0.5) return Number(((r() - 0.5) * 10 ** Math.floor(r() * 40 - 20)).toPrecision(1 + Math.floor(r() * 17))) || 0.5;
    let s = '';
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
    return s;
  }
  const n = Math.floor(r() * 5);
  if (pick < 0.75) return Array.from({ length: n }, () => value(r, depth + 1));
  const o = {};
  for (let i = 0; i < n; i++) o[String(value(r, 9) ?? 'k') + i] = value(r, depth + 1);
  return o;
}

test('seeded random values, written by yaml in each style, read as yaml reads them', () => {
  const r = rng(20261202);
  const texts = [];
  for (let i = 0; i < 400; i++) {
    const v = { v: value(r, 0) };
    texts.push(YAML.stringify(v, STYLES[i % STYLES.length]));
  }
  const got = ours(texts);
  let same = 0;
  got.forEach((g, i) => {
    assert.deepStrictEqual(g, YAML.parse(texts[i]), texts[i]);
    same++;
  });
  assert.equal(same, texts.length);
});

// Corner cases picked by hand: chomping and folding at their edges, indentation indicators,
// scalars that look like other types, flow collections over lines, quoting and escapes.
const CORNERS = [
  'a:   b  \n', 'a: "x"  # c\n', "a: 'x\n\n  y'\n", 'a: x\n\n\n  y\n', '- a\n-  b\n-\tc\n', 'a:\n- 1\n- 2\nb: 3\n',
  'a: >\n  x\n\n  y\n', 'a: >\n\n  x\n', 'a: |\n   x\n  y\n', 'a: >+\n  x\n\n', 'a: |-\n\n', 'a: |+\n\n\n', 'a: >2-\n    x\n   y\n',
  '[a, b]\n', '{a: b, c: d}\n', '{ a : b }\n', '[ "a" , \'b\' ]\n', '{"a":1}\n', '[a\n , b]\n', 'k: {a: [1,\n  2]}\n',
  'a: -1\nb: +1\nc: 1.\nd: .1\ne: 1e1\nf: 0x_1\ng: 0o8\nh: 00\ni: 012\nj: 1_0\n', 'a: 0.0\nb: -0.0\nc: 1E+2\n',
  'a: b#c\n', 'a: "#"\n', 'a: x:y\n', 'a: ":"\n', 'a: -\n', 'a: - \n', '- -\n', '-\n  - a\n',
  '"a\\\n  b"\n', '"a \\\n b"\n', "'a''b'\n", '"\\x41\\u0042"\n', 'a: "\\/"\n', 'key with spaces: v\n', 'a:b: c\n',
  'a: b\n# c\n  # d\nc: e\n', '---\na\n...\n', '--- a\n', '--- >\n  x\n', 'a: 1 # x\n#y\n', 
  '- a: 1\n  b: 2\n- c: 3\n', '-   - a\n    - b\n', 'a:\n  - b:\n      c\n', 'a: |\n  a\n  \n  b\n', 'a: >\n  a\n   b\n  c\n',
  'a: >\n  a\n\n   b\n\n  c\n', 'a: "\\t x \\t"\n', 'a: "x  \n  y"\n', "a: ' x  \n  y '\n", 'a: x \\\n  y\n', 'a: [1, 2, ]\n', '{a: 1, }\n',
  '[]\n', '{}\n', '""\n', "''\n", '~\n', 'null\n', '- ~\n- \n', 'a: ~b\n', 'a: true_\n', 'a: TRUE\n', 'a: tRue\n', 'a: .5.\n',
  'a: 1:30\n', 'a: 2001-12-14\n', 'a: "\\u00e9\\U0001F600"\n', 'é: ü\n', 'a: \u2028b\n', 'a: x\u00a0y\n', 'a:\n  b\n  c\n',
  'a: {x: }\n', '[a, [b, [c]]]\n', 'a: "multi\n\n\n  line"\n', 'a: >-\n  trailing \n  space\n',
  'a: |\n  tab\there\n', 'a: >\n  \tmore\n  x\n', 'a: >\n  x\n  \ty\n', '- >-\n  a\n  b\n- |\n  c\n',
];

test('hand-picked corner cases read as yaml reads them (or both refuse)', () => {
  const got = ours(CORNERS);
  CORNERS.forEach((text, i) => {
    let theirs;
    try {
      theirs = YAML.parse(text);
    } catch {
      assert.ok(got[i].error, `yaml refuses ${JSON.stringify(text)}, we read ${JSON.stringify(got[i])}`);
      return;
    }
    assert.deepStrictEqual(got[i], theirs, JSON.stringify(text));
  });
});

test('what the subset refuses, yaml reads as something else or refuses too', () => {
  const cases = ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: !important\n', '? a\n', 'a: [b, c]: d\n', 'a: [x: y]\n', 'a: {x}\n', 'a: {? x}\n', 'b:\n  <<: {c: 1}\n', 'a: 1\n---\nb: 2\n', 'a:\n\tb: 1\n', 'a: 1\na: 2\n', 'a: .inf\n'];
  const got = ours(cases);
  got.forEach((g, i) => {
    assert.ok(g.error, cases[i]);
    assert.match(g.error.message, /^\d+:\d+: /);
    assert.ok(['bad_yaml', 'duplicate_key'].includes(g.error.code), g.error.code);
  });
});
