// The demo's Vite config: six pages, the engine in a module Web Worker, relative asset URLs so the
// static build (npm run demo:build -> demo/dist) works from any file server or sub-path.
// FLK_SERVER=http://127.0.0.1:8080 npm run demo also sends the Verify page's input to that
// flk-server (POST /v1/hrs/score, proxied by the dev server: flk-server sends no CORS headers).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const pages = ['index', 'pcs', 'cost', 'anomaly', 'model', 'policy'];

export default defineConfig(({ command }) => {
  const flkServer = command === 'serve' ? (process.env.FLK_SERVER ?? '') : '';
  return {
    root: here,
    base: './',
    // The package by its name, resolved through its own package.json exports (browser condition).
    resolve: { alias: { 'fractal-lba': resolve(here, '..') } },
    define: { __FLK_SERVER__: JSON.stringify(flkServer) },
    server: {
      host: '127.0.0.1',
      fs: { allow: [resolve(here, '..')] },
      proxy: flkServer ? { '/flk-server': { target: flkServer, rewrite: (p) => p.replace(/^\/flk-server/, '') } } : undefined,
    },
    preview: { host: '127.0.0.1' },
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      outDir: resolve(here, 'dist'),
      emptyOutDir: true,
      rollupOptions: { input: Object.fromEntries(pages.map((p) => [p, resolve(here, `${p}.html`)])) },
    },
  };
});
