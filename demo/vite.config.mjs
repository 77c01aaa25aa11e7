// The demo's Vite config: five pages, the engine in a module Web Worker, relative asset URLs so the
// static build (npm run demo:build -> demo/dist) works from any file server or sub-path.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const pages = ['index', 'pcs', 'cost', 'anomaly', 'model'];

export default defineConfig({
  root: here,
  base: './',
  // The package by its name, resolved through its own package.json exports (browser condition).
  resolve: { alias: { 'fractal-lba': resolve(here, '..') } },
  server: { host: '127.0.0.1', fs: { allow: [resolve(here, '..')] } },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    rollupOptions: { input: Object.fromEntries(pages.map((p) => [p, resolve(here, `${p}.html`)])) },
  },
});
