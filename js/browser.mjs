// fractal-lba for browsers and bundlers (the "browser" export condition): the artefacts are
// fetched from next to this file (bundlers emit them), or from options.locateFile / given bytes.
import { makeCreateFlk } from './create.mjs';

export { FlkError } from './flk.mjs';

export const createFlk = makeCreateFlk(
  {
    wasm: async (o) => (await import('./load-web.mjs')).loadWasmWeb(o),
    'wasm/score': async (o) => (await import('./load-web.mjs')).loadWasmWeb({ ...o, variant: 'score' }),
    'wasm/verify': async (o) => (await import('./load-web.mjs')).loadWasmWeb({ ...o, variant: 'verify' }),
    wasi: async (o) => (await import('./load-web.mjs')).loadWasiWeb(o),
  },
  'wasm',
  'browsers',
);
