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
  return out.map((o) => o.document ?? o);
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

test('what the subset refuses, yaml reads as something else or refuses too', () => {
  const cases = ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'b:\n  <<: {c: 1}\n', 'a: 1\n---\nb: 2\n', 'a:\n\tb: 1\n', 'a: 1\na: 2\n', 'a: .inf\n'];
  const got = ours(cases);
  got.forEach((g, i) => {
    assert.ok(g.error, cases[i]);
    assert.match(g.error.message, /^\d+:\d+: /);
    assert.ok(['bad_yaml', 'duplicate_key'].includes(g.error.code), g.error.code);
  });
});
