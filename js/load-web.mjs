// Browsers (and bundlers such as Vite): fetches and compiles the artefacts next to this file.
// `new URL(literal, import.meta.url)` is the pattern bundlers recognise to emit the .wasm files.
// Each engine's glue is imported on first use (start-wasm.mjs, wasi-host.mjs), so a page
// downloads only the engine it runs.
import { compileArtefact } from './compile.mjs';
import { startWasm, wasmFile } from './start-wasm.mjs';

const startReactor = async (module) => (await import('./wasi-host.mjs')).startReactor(module);

// Literal URLs, one per artefact, so that bundlers emit each file.
const wasmUrl = {
  full: () => new URL('../dist/wasm/flk.wasm', import.meta.url).href,
  verify: () => new URL('../dist/wasm/flk-verify.wasm', import.meta.url).href,
};
const reactorUrl = () => new URL('../dist/wasi/flk-reactor.wasm', import.meta.url).href;

async function fetchModule(url, option) {
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`fractal-lba: cannot fetch ${url} (${e.message}); serve it or pass { ${option} } to createFlk`, { cause: e });
  }
  if (!res.ok) throw new Error(`fractal-lba: cannot fetch ${url}: HTTP ${res.status}; serve it or pass { ${option} } to createFlk`);
  // Streaming compilation needs the application/wasm type; fall back to bytes otherwise.
  if (res.headers.get('content-type')?.startsWith('application/wasm')) {
    try {
      return await WebAssembly.compileStreaming(res);
    } catch (e) {
      throw new Error(`fractal-lba: ${url} is not a valid WebAssembly module (${e.message})`, { cause: e });
    }
  }
  return compileArtefact(await res.arrayBuffer(), url);
}

// options.variant: 'full' (default) or 'verify' (flk-verify.wasm: no HRS, cost, anomaly).
export async function loadWasmWeb(options = {}) {
  const variant = options.variant ?? 'full';
  if (options.wasmBinary) return startWasm(await compileArtefact(options.wasmBinary, 'options.wasmBinary'), {}, variant);
  const url = options.locateFile ? options.locateFile(wasmFile[variant], '') : wasmUrl[variant]();
  return startWasm(await fetchModule(url, 'wasmBinary or locateFile'), {}, variant);
}

export async function loadWasiWeb(options = {}) {
  if (options.wasiModule) return startReactor(options.wasiModule);
  if (options.wasiBinary) return startReactor(await compileArtefact(options.wasiBinary, 'options.wasiBinary'));
  const url = options.locateFile ? options.locateFile('flk-reactor.wasm', '') : reactorUrl();
  return startReactor(await fetchModule(url, 'wasiBinary or locateFile'));
}
