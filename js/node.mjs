// fractal-lba for Node (the "node" export condition): the artefacts are read from the package.
import { makeCreateFlk } from './create.mjs';

export { FlkError } from './flk.mjs';

export const createFlk = makeCreateFlk(
  {
    wasm: async (o) => (await import('./load-wasm.mjs')).loadWasm(o),
    'wasm/verify': async (o) => (await import('./load-wasm.mjs')).loadWasm({ ...o, variant: 'verify' }),
    wasi: async (o) => (await import('./load-wasi.mjs')).loadWasi(o),
  },
  'wasm',
  'Node',
);
