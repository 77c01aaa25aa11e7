// The Worker that bench/js/edge.mjs runs in workerd: times instantiating the WASI reactor and
// calling the facade inside the Worker (workerd's clock advances while code runs, so K
// repetitions divided by K give the per-item time).
//   GET /instantiate?k=K          K fresh instances (startReactor + one 'version' call)
//   GET /call?op=OP&k=K           K flk.callJson(OP, body) calls (POST body = the input JSON)
//   GET /fast?n=N&k=K             K flk.fast.elementary('sigmoid', N numbers)
import { createFlk } from 'fractal-lba';
import reactor from 'fractal-lba/flk-reactor.wasm';
import { startReactor } from 'fractal-lba/wasi-host';

const perItem = (k, f) => {
  const t0 = performance.now();
  for (let i = 0; i < k; i++) f();
  return (performance.now() - t0) / k;
};

export default {
  async fetch(request) {
    const q = new URL(request.url).searchParams;
    const k = Number(q.get('k') ?? 100);
    const path = new URL(request.url).pathname;
    let ms;
    if (path === '/instantiate') ms = perItem(k, () => startReactor(reactor).callRaw('version', '{}'));
    else {
      const flk = await createFlk();
      if (path === '/call') {
        const input = await request.text();
        ms = perItem(k, () => flk.callJson(q.get('op'), input));
      } else {
        const x = new Float64Array(Number(q.get('n'))).map((_, i) => i / 100 - 5);
        ms = perItem(k, () => flk.fast.elementary('sigmoid', x));
      }
    }
    return Response.json({ ms });
  },
};
