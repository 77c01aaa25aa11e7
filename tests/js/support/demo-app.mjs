// Builds demo/ (demo/vite.config.mjs, as `npm run demo:build` does) into a fresh temp dir and
// returns the dir; the demo test and the page-weight bench serve that.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { root } from './pack.mjs';

export async function buildDemo() {
  const dist = mkdtempSync(join(tmpdir(), 'flk-demo-dist-'));
  await build({ configFile: join(root, 'demo/vite.config.mjs'), logLevel: 'silent', build: { outDir: dist } });
  return dist;
}
