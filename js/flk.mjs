// The JavaScript face of the facade, shared by every engine: call(op, input) with plain
// objects, FlkError for typed errors, one helper per op (flk.crypto.sha256(...)), and the typed
// fast paths (flk.fast.*) that skip JSON for arrays of numbers.

export class FlkError extends Error {
  constructor({ code, message, path }) {
    super(message);
    this.name = 'FlkError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

const ERROR_PREFIX = '{"error":';

// Status codes of facade/fast_path.h, turned into the errors the JSON op would give.
export const FAST_UNKNOWN_FN = 1;
const FAST_TOO_LARGE = 2;
export function fastError(status, fn) {
  if (status === FAST_UNKNOWN_FN) throw new FlkError({ code: 'out_of_range', message: `unknown fn "${fn}"`, path: '$.fn' });
  if (status === FAST_TOO_LARGE) throw new FlkError({ code: 'too_large', message: 'more numbers than one call takes', path: '$.x' });
}

// A JS string with an unpaired surrogate is not Unicode text and has no UTF-8 form: the engines
// would encode it differently (U+FFFD, or the surrogate's own three bytes), so it is refused the
// way the core refuses invalid UTF-8. Returns the index of the first one, or -1.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function loneSurrogate(s) {
  if (typeof s.isWellFormed === 'function' && s.isWellFormed()) return -1;
  return s.search(LONE_SURROGATE);
}

// Op input as the engines take it: bytes (Uint8Array, ArrayBuffer) as they are, anything else as
// text. Returns [input, errorJson]; errorJson is set when text is not Unicode.
function engineInput(what, input) {
  if (input instanceof Uint8Array) return [input, null];
  if (input instanceof ArrayBuffer) return [new Uint8Array(input), null];
  const text = String(input);
  const at = loneSurrogate(text);
  if (at < 0) return [text, null];
  const message = `the ${what} is not Unicode text: an unpaired surrogate at UTF-16 index ${at}`;
  return [null, JSON.stringify({ error: { code: 'bad_json', message } })];
}

// Not allocated: the engine's memory is exhausted (the instance stays usable).
export const outOfMemory = (what) =>
  new FlkError({ code: 'out_of_memory', message: `fractal-lba: the engine could not allocate ${what}` });

// core: { callRaw(op, input: string | Uint8Array) -> outputJson, elementaryF64(fn, xs, out) -> out }.
// onTrap() is told when the engine traps or aborts: the instance is then unusable (its memory
// and stack may be left mid-call), so every later call throws and createFlk forgets it.
export function makeFlk(core, engine, variant = 'full', onTrap = () => {}) {
  let trapped = null;
  const guarded = (f) => {
    if (trapped) throw new FlkError({ code: 'engine_trapped', message: `fractal-lba: this ${engine} engine trapped earlier (${trapped}); createFlk() gives a fresh one` });
    try {
      return f();
    } catch (e) {
      if (e instanceof FlkError && e.code !== 'engine_trapped') throw e;
      trapped = e?.message ?? String(e);
      onTrap();
      throw new FlkError({ code: 'engine_trapped', message: `fractal-lba: the ${engine} engine trapped (${trapped}); it is discarded, createFlk() gives a fresh one` });
    }
  };
  const callJson = (op, inputJson) => {
    const [name, badName] = engineInput('op name', op);
    if (badName) return badName;
    const [input, badInput] = engineInput('input', inputJson);
    if (badInput) return badInput;
    return guarded(() => core.callRaw(name, input));
  };
  const flk = {
    engine,
    variant,
    callJson,
    call(op, input = {}) {
      const out = callJson(op, JSON.stringify(input));
      const value = JSON.parse(out);
      if (!out.startsWith(ERROR_PREFIX)) return value;
      // A lean variant leaves ops out: say so, not only that the op is unknown.
      if (value.error.code === 'unknown_op' && variant !== 'full')
        value.error.message += `; the ${variant} variant leaves some ops out, createFlk({ variant: 'full' }) has them all`;
      throw new FlkError(value.error);
    },
    fast: Object.freeze({
      // math.elementary without JSON: Float64Array (or numbers) in, Float64Array out.
      elementary(fn, x, out = new Float64Array(x.length)) {
        if (typeof fn !== 'string') throw new TypeError('fractal-lba: fast.elementary(fn, x): fn must be a string');
        if (out.length < x.length) throw new RangeError('fractal-lba: fast.elementary: out is shorter than x');
        return guarded(() => core.elementaryF64(fn, x, out));
      },
    }),
  };
  // The ensemble gate's one decision (docs/ensemble.md); the verify variant has no ensemble ops.
  if (variant !== 'verify') flk.verify = (input) => flk.call('ensemble.verify', input);
  const { ops } = flk.call('ops');
  for (const { name } of ops) {
    const parts = name.split('.');
    let node = flk;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = (input = {}) => flk.call(name, input);
  }
  return Object.freeze(flk);
}
