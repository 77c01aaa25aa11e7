// fractal-lba (the "default" export condition, for runtimes that match none of node, browser,
// workerd/worker): picks the Node or the web loaders at run time.
//   import { createFlk } from 'fractal-lba';
//   const flk = await createFlk();          // memoised; safe to call concurrently
//   flk.crypto.sha256({ data_text: 'abc' }) // or flk.call('crypto.sha256', {...})
import { makeCreateFlk } from './create.mjs';

export { FlkError } from './flk.mjs';

const isNode = typeof process === 'object' && !!process.versions?.node;

export const createFlk = makeCreateFlk(
  isNode
    ? {
        wasm: async (o) => (await import('./load-wasm.mjs')).loadWasm(o),
        'wasm/score': async (o) => (await import('./load-wasm.mjs')).loadWasm({ ...o, variant: 'score' }),
        'wasm/verify': async (o) => (await import('./load-wasm.mjs')).loadWasm({ ...o, variant: 'verify' }),
        wasi: async (o) => (await import('./load-wasi.mjs')).loadWasi(o),
      }
    : {
        wasm: async (o) => (await import('./load-web.mjs')).loadWasmWeb(o),
        'wasm/score': async (o) => (await import('./load-web.mjs')).loadWasmWeb({ ...o, variant: 'score' }),
        'wasm/verify': async (o) => (await import('./load-web.mjs')).loadWasmWeb({ ...o, variant: 'verify' }),
        wasi: async (o) => (await import('./load-web.mjs')).loadWasiWeb(o),
      },
  isNode ? 'wasi' : 'wasm',
  isNode ? 'Node' : 'this runtime',
);
