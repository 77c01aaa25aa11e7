// The page's side of the engine worker: call(op, input) -> Promise of the op's JSON answer;
// a typed core error rejects with an EngineError carrying code and path.
export class EngineError extends Error {
  constructor({ code, message, path }) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

const worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
const pending = new Map();
let nextId = 0;

worker.onmessage = ({ data }) => {
  const p = pending.get(data.id);
  pending.delete(data.id);
  if (data.error) p.reject(new EngineError(data.error));
  else p.resolve(data.result);
};
worker.onerror = (e) => {
  for (const p of pending.values()) p.reject(new EngineError({ code: 'engine', message: e.message ?? 'worker failed', path: '' }));
  pending.clear();
};

export function call(op, input) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, input });
  });
}
