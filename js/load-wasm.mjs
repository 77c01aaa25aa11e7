// Loads the Emscripten build (dist/wasm/flk.mjs + flk.wasm) in Node, browsers and bundlers.
import createFlkModule from '../dist/wasm/flk.mjs';

const wasmUrl = new URL('../dist/wasm/flk.wasm', import.meta.url);
const isNode = typeof process === 'object' && !!process.versions?.node;

// libsodium's randombytes asks the module for this; Node ES modules have no other source.
const getRandomValue = () => globalThis.crypto.getRandomValues(new Uint32Array(1))[0] >>> 0;

export async function loadWasm(options = {}) {
  const args = { getRandomValue, ...options };
  if (!args.wasmBinary && !args.instantiateWasm && !args.locateFile) {
    if (isNode) {
      // The 3.1.6 glue would fetch() a file path in Node; hand it the bytes instead.
      const { readFile } = await import('node:fs/promises');
      args.wasmBinary = await readFile(wasmUrl).catch((e) => {
        throw new Error(`fractal-lba: cannot read ${wasmUrl.pathname}: ${e.message}`);
      });
    } else {
      args.locateFile = () => wasmUrl.href;
    }
  }
  const mod = await createFlkModule(args);
  return { callRaw: (op, input) => mod.call(op, input), batchLine: (line) => mod.batchLine(line) };
}
