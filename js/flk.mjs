// The JavaScript face of the facade, shared by every engine: call(op, input) with plain
// objects, FlkError for typed errors, and one helper per op (flk.crypto.sha256(...)).

export class FlkError extends Error {
  constructor({ code, message, path }) {
    super(message);
    this.name = 'FlkError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

const ERROR_PREFIX = '{"error":';

// callRaw(op, inputJson) -> outputJson is the engine's only entry point.
export function makeFlk(callRaw, engine) {
  const flk = {
    engine,
    callJson(op, inputJson) {
      return callRaw(String(op), String(inputJson));
    },
    call(op, input = {}) {
      const out = callRaw(String(op), JSON.stringify(input));
      const value = JSON.parse(out);
      if (out.startsWith(ERROR_PREFIX)) throw new FlkError(value.error);
      return value;
    },
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
