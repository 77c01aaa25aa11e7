// The README's usage snippets are the files the tests run: docs/snippets/node.mjs (pack.test),
// tests/vite-app/main.js (browser.test) and docs/snippets/worker.mjs (edge.test). Each README
// block marked `<!-- snippet: PATH -->` must equal its file byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support/pack.mjs';

const REQUIRED = ['docs/snippets/node.mjs', 'tests/vite-app/main.js', 'docs/snippets/worker.mjs'];

test('README snippets equal the files the tests run', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- snippet: (\S+) -->\n```js\n([\s\S]*?)```\n/g)];
  assert.deepEqual(blocks.map((b) => b[1]), REQUIRED);
  for (const [, path, text] of blocks) assert.equal(text, readFileSync(join(root, path), 'utf8'), `README block for ${path}`);
});
