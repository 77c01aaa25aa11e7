// Builds tests/vite-app (five pages: index.html = the README's browser snippet, engines.html,
// score.html = the score variant, worker.html = fractal-lba/web-worker, verify.html = the verify variant)
// with Vite 7 against the packed package installed in a fresh project; returns the output dir.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { installPacked, root } from './pack.mjs';

export async function buildViteApp() {
  const { dir } = installPacked('vite');
  for (const f of ['index.html', 'main.js', 'engines.html', 'engines.js', 'score.html', 'score.js', 'verify.html', 'verify.js', 'worker.html', 'worker.js']) copyFileSync(join(root, 'tests/vite-app', f), join(dir, f));
  const dist = join(dir, 'dist');
  const input = { main: join(dir, 'index.html'), engines: join(dir, 'engines.html'), score: join(dir, 'score.html'), worker: join(dir, 'worker.html'), verify: join(dir, 'verify.html') };
  // Module workers: fractal-lba/web-worker's worker imports its engine's glue on demand.
  await build({ root: dir, logLevel: 'silent', worker: { format: 'es' }, build: { outDir: dist, rollupOptions: { input } } });
  return dist;
}
