// Starts the Emscripten build (dist/wasm/flk.mjs + flk.wasm, or the score or verify variant's
// flk-score.*, flk-verify.*) from a compiled WebAssembly.Module, the same way in every runtime; the loaders
// (load-wasm.mjs for Node, load-web.mjs for browsers) only differ in how they get the module.
// Each variant has its own glue (import names are minified per link), imported on first use.
import { reactorCore } from './host-abi.mjs';

const glue = {
  full: () => import('../dist/wasm/flk.mjs'),
  score: () => import('../dist/wasm/flk-score.mjs'),
  verify: () => import('../dist/wasm/flk-verify.mjs'),
};

// The artefact of each variant of the Emscripten build.
export const wasmFile = { full: 'flk.wasm', score: 'flk-score.wasm', verify: 'flk-verify.wasm' };

// libsodium's randombytes asks the module for this; Node ES modules have no other source.
const getRandomValue = () => globalThis.crypto.getRandomValues(new Uint32Array(1))[0] >>> 0;

// data: the scorer's files for the full and score variants, { model, wordnet }, each { text } (the
// inflated bytes) or { reason } (default-model.mjs).
const noData = { model: { reason: 'no model file was given' }, wordnet: { reason: 'no WordNet file was given' } };
export async function startWasm(module, extra = {}, variant = 'full', data = noData) {
  const { default: createFlkModule } = await glue[variant]();
  let fail, memory;
  const failed = new Promise((_, reject) => (fail = reject));
  // instantiateWasm keeps the glue from fetching anything itself (it would fetch a file path in
  // Node, or a URL a bundler did not emit); failures surface here instead of hanging the glue.
  const started = createFlkModule({
    ...extra,
    getRandomValue,
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(module, imports).then((instance) => {
        // The module's memory, exported or imported (its name is minified per link).
        const all = [...Object.values(instance.exports), ...Object.values(imports).flatMap((m) => Object.values(m))];
        memory = all.find((x) => x instanceof WebAssembly.Memory);
        done(instance, module);
      }, fail);
      return {};
    },
  });
  const mod = await Promise.race([started, failed]);
  const core = reactorCore({
    flk_alloc: mod._flk_alloc,
    flk_free: mod._flk_free,
    flk_call: mod._flk_call,
    flk_batch_line: mod._flk_batch_line,
    flk_output_ptr: mod._flk_output_ptr,
    flk_output_len: mod._flk_output_len,
    flk_f64_scratch: mod._flk_f64_scratch,
    flk_elementary_f64: mod._flk_elementary_f64,
    memory,
  });
  if (variant !== 'verify') {
    core.withBytes('default model', data.model.text ?? '', data.model.reason ?? '', mod._flk_set_default_model);
    core.withBytes('WordNet table', data.wordnet.text ?? '', data.wordnet.reason ?? '', mod._flk_set_wordnet);
  }
  return core;
}
