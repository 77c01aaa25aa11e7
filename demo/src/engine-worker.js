// The engine's thread: one createFlk() instance answers { id, op, input } messages, so long calls
// (model evaluation, detector fitting) never block the page. Errors travel as plain values.
import { createFlk, FlkError } from 'fractal-lba';

const ready = createFlk();

self.onmessage = async ({ data: { id, op, input } }) => {
  try {
    const flk = await ready;
    self.postMessage({ id, result: flk.call(op, input) });
  } catch (e) {
    const error = e instanceof FlkError ? { code: e.code, message: e.message, path: e.path } : { code: 'engine', message: String(e?.message ?? e), path: '' };
    self.postMessage({ id, error });
  }
};
