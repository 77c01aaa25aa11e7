// Inside the Web Worker started by fractal-lba/web-worker (web-worker.mjs): loads the engine with
// the browser loaders and answers the page's requests, one message each. Op inputs and outputs
// cross as JSON text (the facade's own form), typed errors as their JSON, so the page rebuilds
// the same FlkError.
import { createFlk } from './browser.mjs';

let flk;
const reply = (id, fields, transfer = []) => self.postMessage({ id, ...fields }, transfer);

self.onmessage = async ({ data }) => {
  const { id, kind } = data;
  try {
    if (kind === 'create') {
      flk = await createFlk(data.options);
      reply(id, { value: { engine: flk.engine, variant: flk.variant, ops: flk.call('ops').ops.map((o) => o.name) } });
    } else if (kind === 'call') {
      reply(id, { value: flk.callJson(data.op, data.input) });
    } else if (kind === 'fast') {
      const y = flk.fast.elementary(data.fn, data.x);
      reply(id, { value: y }, [y.buffer]);
    } else {
      reply(id, { error: { name: 'TypeError', message: `fractal-lba: unknown worker request "${kind}"` } });
    }
  } catch (e) {
    reply(id, { error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code, path: e?.path } });
  }
};
