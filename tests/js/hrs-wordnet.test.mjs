// core/hrs/wordnet_table.cc is what scripts/gen-wordnet.mjs derives from Debian's wordnet-base,
// and its entries have the shape core/hrs/wordnet.cc parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support/pack.mjs';

test('wordnet_table.cc equals the generator output from /usr/share/wordnet', () => {
  execFileSync(process.execPath, [join(root, 'scripts/gen-wordnet.mjs'), '--check']);
});

test('each table entry is ;-terminated lowercase words, pairs for antonyms', () => {
  const text = readFileSync(join(root, 'core/hrs/wordnet_table.cc'), 'utf8');
  const table = (name) => [...text.split(`${name}[] =\n`)[1].split(';\n\n')[0].matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
  const antonyms = table('kWordnetAntonyms').split(';').slice(0, -1);
  const synonyms = table('kWordnetSynonyms').split(';').slice(0, -1);
  assert.ok(antonyms.length > 500 && synonyms.length > 1000);
  for (const a of antonyms) assert.match(a, /^[a-z]{3,} [a-z]{3,}$/);
  for (const s of synonyms) assert.match(s, /^[a-z]{3,}( [a-z]{3,})+$/);
  assert.ok(antonyms.includes('lost won') && synonyms.includes('bought buy purchase'));
});
