// fractal-lba/web-worker: the engine in a Web Worker, for pages that explain scores or fit models
// without blocking their main thread. The same API as createFlk, every call returning a promise:
//   import { createFlk } from 'fractal-lba/web-worker';
//   const flk = await createFlk({ variant: 'score' });
//   const { probability } = await flk.hrs.score({ answer });
// Options are those of createFlk that can be posted to a worker (engine, variant, wasmBinary,
// wasiBinary, hrsModel, hrsWordnet); the worker fetches the artefacts itself. Each call to createFlk starts
// its own worker; terminate() stops it.
import { FlkError } from './flk.mjs';

export { FlkError };

const ERROR_PREFIX = '{"error":';
const POSTABLE = ['engine', 'variant', 'wasmBinary', 'wasiBinary', 'hrsModel', 'hrsWordnet'];

function toError({ name, message, code, path }) {
  if (name === 'FlkError') return new FlkError({ code, message, path });
  const E = name === 'TypeError' ? TypeError : Error;
  return new E(message);
}

export async function createFlk(options = {}) {
  const unpostable = Object.keys(options).filter((k) => options[k] !== undefined && !POSTABLE.includes(k));
  if (unpostable.length)
    throw new TypeError(`fractal-lba/web-worker: options ${unpostable.join(', ')} cannot be sent to a worker (use ${POSTABLE.join(', ')})`);
  const worker = new Worker(new URL('./web-worker-host.mjs', import.meta.url), { type: 'module', name: 'fractal-lba' });
  const pending = new Map();
  let next = 0;
  let dead = null;
  const fail = (error) => {
    dead = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) p?.reject(toError(data.error));
    else p?.resolve(data.value);
  };
  worker.onerror = (e) => {
    e.preventDefault?.();
    fail(new Error(`fractal-lba/web-worker: the worker failed (${e.message ?? 'could not be started'})`));
  };
  const ask = (message, transfer) =>
    dead
      ? Promise.reject(dead)
      : new Promise((resolve, reject) => {
          const id = next++;
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, ...message }, transfer ?? []);
        });

  const posted = Object.fromEntries(POSTABLE.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  let info;
  try {
    info = await ask({ kind: 'create', options: posted });
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const callJson = (op, input) => ask({ kind: 'call', op, input: input instanceof ArrayBuffer ? new Uint8Array(input) : input });
  const flk = {
    engine: info.engine,
    variant: info.variant,
    callJson,
    async call(op, input = {}) {
      const out = await callJson(op, JSON.stringify(input));
      const value = JSON.parse(out);
      if (out.startsWith(ERROR_PREFIX)) throw new FlkError(value.error);
      return value;
    },
    fast: Object.freeze({
      // The input is copied to the worker; the answer's buffer is transferred back.
      elementary: (fn, x) => ask({ kind: 'fast', fn, x: Float64Array.from(x) }),
    }),
    terminate() {
      worker.terminate();
      fail(new Error('fractal-lba/web-worker: terminated'));
    },
  };
  if (info.variant !== 'verify') flk.verify = (input) => flk.call('ensemble.verify', input);
  for (const name of info.ops) {
    const parts = name.split('.');
    let node = flk;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = (input = {}) => flk.call(name, input);
  }
  return Object.freeze(flk);
}
