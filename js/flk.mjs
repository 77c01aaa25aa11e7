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

// core: { callRaw(op, inputJson) -> outputJson, elementaryF64(fn, xs, out) -> out }.
export function makeFlk(core, engine, variant = 'full') {
  const { callRaw } = core;
  const flk = {
    engine,
    variant,
    callJson(op, inputJson) {
      return callRaw(String(op), String(inputJson));
    },
    call(op, input = {}) {
      const out = callRaw(String(op), JSON.stringify(input));
      const value = JSON.parse(out);
      if (out.startsWith(ERROR_PREFIX)) throw new FlkError(value.error);
      return value;
    },
    fast: Object.freeze({
      // math.elementary without JSON: Float64Array (or numbers) in, Float64Array out.
      elementary(fn, x, out = new Float64Array(x.length)) {
        if (typeof fn !== 'string') throw new TypeError('fractal-lba: fast.elementary(fn, x): fn must be a string');
        if (out.length < x.length) throw new RangeError('fractal-lba: fast.elementary: out is shorter than x');
        return core.elementaryF64(fn, x, out);
      },
    }),
  };
  const { ops } = flk.call('ops');
  for (const { name } of ops) {
    const parts = name.split('.');
    let node = flk;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = (input = {}) => flk.call(name, input);
  }
  return Object.freeze(flk);
}
