// core/hrs/wordnet.txt is what scripts/gen-wordnet.mjs derives from Debian's wordnet-base, and its
// entries have the shape core/hrs/wordnet.cc parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support/pack.mjs';

test('wordnet.txt equals the generator output from /usr/share/wordnet', () => {
  execFileSync(process.execPath, [join(root, 'scripts/gen-wordnet.mjs'), '--check']);
});

test('each table entry is a line of lowercase words: pairs for antonyms, an empty line, then synonym groups', () => {
  const lines = readFileSync(join(root, 'core/hrs/wordnet.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#'));
  const gap = lines.indexOf('');
  assert.equal(lines.at(-1), '');  // the file ends with a newline
  const antonyms = lines.slice(0, gap);
  const synonyms = lines.slice(gap + 1, -1);
  assert.ok(antonyms.length > 500 && synonyms.length > 1000);
  for (const a of antonyms) assert.match(a, /^[a-z]{3,} [a-z]{3,}$/);
  for (const s of synonyms) assert.match(s, /^[a-z]{3,}( [a-z]{3,})+$/);
  assert.ok(antonyms.includes('lost won') && synonyms.includes('bought buy purchase'));
});
