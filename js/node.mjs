// fractal-lba for Node (the "node" export condition): the artefacts are read from the package.
// The default engine is the WASI reactor: download size does not matter here, and its -O3 code
// answers about as fast as the Emscripten build's full variant (also -O3 since session 12) and
// 1.5-2x faster than its size-optimised score and verify variants (docs/edge.md).
import { makeCreateFlk } from './create.mjs';

export { FlkError } from './flk.mjs';

export const createFlk = makeCreateFlk(
  {
    wasm: async (o) => (await import('./load-wasm.mjs')).loadWasm(o),
    'wasm/score': async (o) => (await import('./load-wasm.mjs')).loadWasm({ ...o, variant: 'score' }),
    'wasm/verify': async (o) => (await import('./load-wasm.mjs')).loadWasm({ ...o, variant: 'verify' }),
    wasi: async (o) => (await import('./load-wasi.mjs')).loadWasi(o),
  },
  'wasi',
  'Node',
);
