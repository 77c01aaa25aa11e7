// npm run bench (demo part): the weight of each demo page as a visitor's browser loads it — the
// static build served on loopback, the page opened in headless Chromium until its first result
// is on screen, every response counted: raw bytes and gzip -9 bytes of each body (the size a
// compressing server would send), and the time from navigation to that first result (one run on
// a shared machine: an indication, not a benchmark). A measurement, not a test.
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../../tests/js/support/chromium.mjs';
import { buildDemo } from '../../tests/js/support/demo-app.mjs';
import { serveStatic } from '../../tests/js/support/static-server.mjs';

// Each page with the selector that shows its first result (the Verify page after one example).
const PAGES = [
  ['Verify', 'index.html', async (p) => { await p.click('text=halueval_qa · hallucinated'); await p.waitForSelector('#highlighted mark', { timeout: 60000 }); }],
  ['PCS', 'pcs.html', async (p) => { await p.click('#keygen'); await p.waitForSelector('#public-key', { timeout: 60000 }); }],
  ['Cost', 'cost.html', (p) => p.waitForSelector('#recommendations', { timeout: 60000 })],
  ['Anomaly', 'anomaly.html', (p) => p.waitForSelector('#label-all', { timeout: 60000 })],
  ['Model', 'model.html', (p) => p.waitForSelector('#metrics', { timeout: 60000 })],
  ['Policy', 'policy.html', async (p) => { await p.click('#simulate'); await p.waitForSelector('#changed-ids', { timeout: 60000 }); }],
];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const server = await serveStatic(await buildDemo());
const browser = await launchChromium();
try {
  console.log('\n| demo page | requests | raw | gzip -9 | of which wasm (gzip) | first result |\n| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, file, ready] of PAGES) {
    const page = await browser.newPage();
    const bodies = [];
    page.on('response', (r) => bodies.push(r.body().then((b) => ({ url: r.url(), b })).catch(() => null)));
    const t0 = performance.now();
    await page.goto(server.url + file);
    await ready(page);
    const ms = performance.now() - t0;
    await page.waitForLoadState('networkidle');
    const got = (await Promise.all(bodies)).filter(Boolean);
    const gz = got.map(({ url, b }) => ({ url, raw: b.length, gz: gzipSync(b, { level: 9 }).length }));
    const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
    const wasm = gz.filter((x) => x.url.endsWith('.wasm'));
    console.log(`| ${name} | ${gz.length} | ${kb(sum(gz, 'raw'))} | ${kb(sum(gz, 'gz'))} | ${kb(sum(wasm, 'gz'))} | ${(ms / 1000).toFixed(2)} s |`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
