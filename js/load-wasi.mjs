// Loads the WASI reactor build (dist/wasi/flk-reactor.wasm) from bytes or a compiled module.
import { instantiateReactor } from './wasi-host.mjs';

const reactorUrl = new URL('../dist/wasi/flk-reactor.wasm', import.meta.url);

export async function loadWasi(options = {}) {
  let module = options.wasiModule;
  if (!module) {
    let bytes = options.wasiBinary;
    if (!bytes) {
      if (typeof process === 'object' && process.versions?.node) {
        const { readFile } = await import('node:fs/promises');
        bytes = await readFile(reactorUrl);
      } else {
        const res = await fetch(reactorUrl);
        if (!res.ok) throw new Error(`fractal-lba: cannot fetch ${reactorUrl}: HTTP ${res.status}`);
        bytes = await res.arrayBuffer();
      }
    }
    module = await WebAssembly.compile(bytes);
  }
  return { callRaw: instantiateReactor(module) };
}
