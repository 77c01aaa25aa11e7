// fractal-lba for Cloudflare Workers / workerd (the "workerd" and "worker" export conditions).
// Workers cannot compile WebAssembly from bytes at run time and forbid code generation from
// strings, so this entry imports the WASI reactor as a module the platform compiles at deploy
// time (wrangler and workerd turn `import m from '*.wasm'` into a WebAssembly.Module) and runs
// it through the built-in WASI shim. There is one engine here: 'wasi'.
import reactor from '../dist/wasi/flk-reactor.wasm';
import { makeCreateFlk } from './create.mjs';
import { startReactor } from './wasi-host.mjs';

export { FlkError } from './flk.mjs';

export const createFlk = makeCreateFlk(
  { wasi: async (o) => startReactor(o.wasiModule ?? reactor) },
  'wasi',
  'Workers',
);
