// fractal-lba for browsers and bundlers (the "browser" export condition): the artefacts are
// fetched from next to this file (bundlers emit them), or from options.locateFile / given bytes.
// The loaders are imported at once (every page that imports this calls createFlk; one chunk less
// for a bundler); each engine's and variant's glue is imported on first use (load-web.mjs).
import { makeCreateFlk } from './create.mjs';
import { loadWasiWeb, loadWasmWeb } from './load-web.mjs';

export { FlkError } from './flk.mjs';

export const createFlk = makeCreateFlk(
  {
    wasm: loadWasmWeb,
    'wasm/score': (o) => loadWasmWeb({ ...o, variant: 'score' }),
    'wasm/verify': (o) => loadWasmWeb({ ...o, variant: 'verify' }),
    wasi: loadWasiWeb,
  },
  'wasm',
  'browsers',
);
