// fractal-lba: the verification core in JavaScript.
//   import { createFlk } from 'fractal-lba';
//   const flk = await createFlk();          // memoised; safe to call concurrently
//   flk.crypto.sha256({ data_text: 'abc' }) // or flk.call('crypto.sha256', {...})
// options.engine: 'wasm' (Emscripten, default) or 'wasi' (the reactor module via a tiny shim).
// options.wasmBinary / locateFile / wasiBinary / wasiModule: where the .wasm comes from.
import { makeFlk, FlkError } from './flk.mjs';

export { FlkError };

const cache = new Map();

export function createFlk(options = {}) {
  const engine = options.engine ?? 'wasm';
  if (engine !== 'wasm' && engine !== 'wasi')
    return Promise.reject(new TypeError(`fractal-lba: unknown engine "${engine}" (wasm or wasi)`));
  const custom = Object.keys(options).some((k) => k !== 'engine');
  if (!custom && cache.has(engine)) return cache.get(engine);
  const p = (async () => {
    const { callRaw } =
      engine === 'wasm'
        ? await (await import('./load-wasm.mjs')).loadWasm(options)
        : await (await import('./load-wasi.mjs')).loadWasi(options);
    return makeFlk(callRaw, engine);
  })();
  if (!custom) {
    cache.set(engine, p);
    p.catch(() => cache.delete(engine));
  }
  return p;
}
