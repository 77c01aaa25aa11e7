// Browsers (and bundlers such as Vite): fetches and compiles the artefacts next to this file.
// `new URL(literal, import.meta.url)` is the pattern bundlers recognise to emit the .wasm files.
// Each engine's glue is imported on first use (start-wasm.mjs, wasi-host.mjs), so a page
// downloads only the engine it runs.
import { compileArtefact } from './compile.mjs';
import { inflateStream, scorerData } from './default-model.mjs';
import { startWasm, wasmFile } from './start-wasm.mjs';

const startReactor = async (module) => (await import('./wasi-host.mjs')).startReactor(module);

// Literal URLs, one per artefact, so that bundlers emit each file.
const wasmUrl = {
  full: () => new URL('../dist/wasm/flk.wasm', import.meta.url).href,
  score: () => new URL('../dist/wasm/flk-score.wasm', import.meta.url).href,
  verify: () => new URL('../dist/wasm/flk-verify.wasm', import.meta.url).href,
};
const reactorUrl = () => new URL('../dist/wasi/flk-reactor.wasm', import.meta.url).href;
const dataUrl = {
  'hrs-default-model.json.gz': () => new URL('../dist/wasm/hrs-default-model.json.gz', import.meta.url).href,
  'hrs-wordnet.txt.gz': () => new URL('../dist/wasm/hrs-wordnet.txt.gz', import.meta.url).href,
};

async function fetchOk(url, option) {
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`fractal-lba: cannot fetch ${url} (${e.message}); serve it or pass { ${option} } to createFlk`, { cause: e });
  }
  if (!res.ok) throw new Error(`fractal-lba: cannot fetch ${url}: HTTP ${res.status}; serve it or pass { ${option} } to createFlk`);
  return res;
}

// One fetch of each data file per URL for every instance of the page (a failed one is forgotten).
const dataFetches = new Map();
function fetchData(url, option) {
  if (!dataFetches.has(url)) {
    const p = fetchOk(url, `${option} or locateFile`).then(async (res) => new Uint8Array(await res.arrayBuffer()));
    dataFetches.set(url, p);
    p.catch(() => dataFetches.delete(url));
  }
  return dataFetches.get(url);
}

async function fetchModule(url, option) {
  const res = await fetchOk(url, option);
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

// options.variant: 'full' (default), 'score' (flk-score.wasm: no training, cost, anomaly) or
// 'verify' (flk-verify.wasm: no HRS, ensemble, cost, anomaly).
export async function loadWasmWeb(options = {}) {
  const variant = options.variant ?? 'full';
  const data = scorerData(
    options,
    variant,
    (file, option) => fetchData(options.locateFile ? options.locateFile(file, '') : dataUrl[file](), option),
    inflateStream,
  );
  const module = options.wasmBinary
    ? await compileArtefact(options.wasmBinary, 'options.wasmBinary')
    : await fetchModule(options.locateFile ? options.locateFile(wasmFile[variant], '') : wasmUrl[variant](), 'wasmBinary or locateFile');
  return startWasm(module, {}, variant, await data);
}

export async function loadWasiWeb(options = {}) {
  if (options.wasiModule) return startReactor(options.wasiModule);
  if (options.wasiBinary) return startReactor(await compileArtefact(options.wasiBinary, 'options.wasiBinary'));
  const url = options.locateFile ? options.locateFile('flk-reactor.wasm', '') : reactorUrl();
  return startReactor(await fetchModule(url, 'wasiBinary or locateFile'));
}
