// The default HRS model of the Emscripten build is a file beside it (hrs-default-model.json.gz),
// not compiled in, so that a page's first download is the code alone. The loaders read or fetch
// it while the module compiles and hand it over at start (start-wasm.mjs); a model that cannot be
// had does not fail createFlk: the ops that need it answer FlkError model_unavailable with the
// reason (the loading error), and every other op works.
export const MODEL_FILE = 'hrs-default-model.json.gz';

// options.hrsModel: the file's bytes (gzip, or the JSON text), false to go without, or omitted
// for load() (the loader's read or fetch). A bad option throws at once; otherwise the promise
// resolves, to { bytes } or { reason }, and never rejects.
export function defaultModel(options, load) {
  const given = options.hrsModel;
  if (given === false) return Promise.resolve({ reason: 'createFlk was given hrsModel: false' });
  if (given instanceof Uint8Array) return Promise.resolve({ bytes: given });
  if (given instanceof ArrayBuffer) return Promise.resolve({ bytes: new Uint8Array(given) });
  if (given !== undefined)
    throw new TypeError(`fractal-lba: options.hrsModel must be the bytes of ${MODEL_FILE} (Uint8Array or ArrayBuffer) or false`);
  return load().then(
    (bytes) => ({ bytes }),
    (e) => ({ reason: e.message }),
  );
}
