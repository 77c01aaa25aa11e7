// The data files of the Emscripten build's HRS scorer are beside it, not compiled in, so that a
// page's first download is the code alone: the default model (hrs-default-model.json.gz) and the
// WordNet table its features look words up in (hrs-wordnet.txt.gz). The loaders read or fetch them
// while the module compiles and hand them over at start (start-wasm.mjs); a file that cannot be had
// does not fail createFlk: the ops that need it answer FlkError model_unavailable with the reason
// (the loading or inflating error), and every other op works.
export const MODEL_FILE = 'hrs-default-model.json.gz';
export const WORDNET_FILE = 'hrs-wordnet.txt.gz';

// The most text each file may inflate to: the core's own bounds on them (kMaxDefaultModelBytes,
// kMaxWordnetBytes), so that a gzip bomb given as a data file stops while it inflates.
export const MAX_TEXT_BYTES = { [MODEL_FILE]: 64 << 20, [WORDNET_FILE]: 4 << 20 };

// The loaders inflate the gzip files with the runtime's own inflater (inflate(bytes, max) ->
// Promise of at most max bytes, else a rejection: node:zlib, or DecompressionStream in browsers
// and workers), so the browser module does not link zlib's inflate (docs/edge.md, "Size budget").
// Bytes that are not gzip are the text already (a server that sent the file with
// Content-Encoding: gzip has let fetch decompress it).
async function inflated(bytes, what, inflate, max) {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return await inflate(bytes, max);
  } catch (e) {
    const why = `${what} is not valid gzip or inflates to over ${max} bytes (${e.message})`;
    throw new Error(`fractal-lba: ${why}`, { cause: e });
  }
}

// DecompressionStream's inflate(bytes, max) for browsers and workers: read chunk by chunk and
// stop past max bytes.
export async function inflateStream(bytes, max) {
  if (typeof DecompressionStream !== 'function') throw new Error('this runtime has no DecompressionStream');
  const reader = new Response(bytes).body.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.length;
    if (size > max) {
      await reader.cancel();
      throw new Error(`more than ${max} bytes`);
    }
    chunks.push(r.value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

// options[option]: the file's bytes (gzip, or its text), false to go without, or omitted for
// load() (the loader's read or fetch). A bad option throws at once; otherwise the promise
// resolves, to { text } (bytes) or { reason }, and never rejects.
function dataFile(options, option, file, load, inflate) {
  const given = options[option];
  if (given === false) return Promise.resolve({ reason: `createFlk was given ${option}: false` });
  if (given !== undefined && !(given instanceof Uint8Array) && !(given instanceof ArrayBuffer))
    throw new TypeError(`fractal-lba: options.${option} must be the bytes of ${file} (Uint8Array or ArrayBuffer) or false`);
  const max = MAX_TEXT_BYTES[file];
  const text =
    given === undefined
      ? load(file, option).then((bytes) => inflated(bytes, file, inflate, max))
      : inflated(given instanceof ArrayBuffer ? new Uint8Array(given) : given, `options.${option}`, inflate, max);
  return text.then(
    (t) => ({ text: t }),
    (e) => ({ reason: e.message }),
  );
}

// Both files for the full and score variants (none for verify): load(file, option) reads or
// fetches one, inflate(bytes, max) opens gzip. A bad option throws at once, as dataFile does.
export function scorerData(options, variant, load, inflate) {
  if (variant === 'verify') return Promise.resolve(undefined);
  const model = dataFile(options, 'hrsModel', MODEL_FILE, load, inflate);
  const wordnet = dataFile(options, 'hrsWordnet', WORDNET_FILE, load, inflate);
  return Promise.all([model, wordnet]).then(([m, w]) => ({ model: m, wordnet: w }));
}
