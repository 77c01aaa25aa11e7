// Both engines and the typed fast path in the browser (not a README snippet): browser.test.mjs
// checks the values, bench/js/edge.mjs reads the load times (one engine per page: ?engine=).
import { createFlk } from 'fractal-lba';

const only = new URLSearchParams(location.search).get('engine');
const out = {};
for (const engine of only ? [only] : ['wasm', 'wasi']) {
  const t0 = performance.now();
  const flk = await createFlk({ engine });
  out[engine] = {
    load_ms: performance.now() - t0,
    target: flk.version().target,
    digest_hex: flk.crypto.sha256({ data_text: 'abc' }).digest_hex,
    sigmoid: Array.from(flk.fast.elementary('sigmoid', [0, 2, -3])),
    action: flk.routing.decide({ risk: 0.95 }).action,
  };
}
document.querySelector('#out').textContent = JSON.stringify(out);
