// The Vite app (tests/vite-app, the README's browser snippet) built with Vite 7 against the
// packed package, served on loopback and run in headless Chromium: the values computed in the
// browser (an HRS score with its interval, the routing decision for it, a PCS built and
// Ed25519-signed from points) must equal the native build's, bit for bit. The score page's code
// must stay within the 250 KB gzip budget (`npm run bench` reports every page and file).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { flkBin } from './engines.mjs';
import { launchChromium } from './support/chromium.mjs';
import { PAGE_BUDGET, pageDownload } from './support/page-download.mjs';
import { root } from './support/pack.mjs';
import { serveStatic } from './support/static-server.mjs';
import { buildViteApp } from './support/vite-app.mjs';

let dist, server, browser;
before(async () => {
  dist = await buildViteApp();
  server = await serveStatic(dist);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const native = (op, input) => JSON.parse(execFileSync(flkBin, ['call', op], { input: JSON.stringify(input), encoding: 'utf8' }));

test('the Vite page computes in Chromium what the native build computes', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  const got = JSON.parse(await page.textContent('#out'));
  assert.deepEqual(problems, []);
  const { probability, interval } = native('hrs.score', {
    question: 'Who wrote Hamlet?',
    context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
    answer: 'Hamlet was written by Christopher Marlowe in 1620.',
  });
  const points = Array.from({ length: 64 }, (_, i) => [i % 7, (i * 3) % 11, i / 8]);
  const key = { alg: 'ed25519', seed_hex: '11'.repeat(32) };
  const pcs = native('pcs.build', { points, shard_id: 'browser', epoch: 1, sent_at: '2025-01-19T12:00:00Z', key });
  const { action } = native('routing.decide', { risk: probability });
  assert.deepEqual(got, { probability, interval, action, pcs_id: pcs.pcs_id, sig: pcs.sig });
});

test('both engines and the fast path agree in Chromium', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'engines.html');
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  const { wasm, wasi } = JSON.parse(await page.textContent('#out'));
  assert.equal(wasm.target, 'emscripten');
  assert.equal(wasi.target, 'wasi');
  const expect = {
    digest_hex: native('crypto.sha256', { data_text: 'abc' }).digest_hex,
    sigmoid: native('math.elementary', { fn: 'sigmoid', x: [0, 2, -3] }).y,
    action: 'reject',
  };
  for (const e of [wasm, wasi]) assert.deepEqual({ digest_hex: e.digest_hex, sigmoid: e.sigmoid, action: e.action }, expect);
});

test('the verify variant signs and verifies in Chromium and downloads only flk-verify.wasm', async () => {
  const page = await browser.newPage();
  const wasmFetched = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasmFetched.push(r.url().split('/').pop()));
  await page.goto(server.url + 'verify.html');
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  const got = JSON.parse(await page.textContent('#out'));
  const points = Array.from({ length: 64 }, (_, i) => [i % 7, (i * 3) % 11, i / 8]);
  const key = { alg: 'ed25519', seed_hex: '11'.repeat(32) };
  const pcs = native('pcs.build', { points, shard_id: 'browser', epoch: 1, sent_at: '2025-01-19T12:00:00Z', key });
  const { public_key_hex } = native('crypto.ed25519_keypair', { seed_hex: key.seed_hex });
  const { status } = native('pcs.verify', { pcs, key: { alg: 'ed25519', public_key_hex } });
  assert.equal(status, 200);
  assert.deepEqual(got, { pcs_id: pcs.pcs_id, sig: pcs.sig, status, action: 'rag_required', hrs: false });
  assert.equal(wasmFetched.length, 1, wasmFetched.join());
  assert.match(wasmFetched[0], /^flk-verify-[\w-]+\.wasm$/);
});

test('the score variant scores, signs and verifies in Chromium with the model file fetched once', async () => {
  const page = await browser.newPage();
  const fetched = [];
  page.on('request', (r) => /\.(wasm|gz)$/.test(r.url()) && fetched.push(r.url().split('/').pop()));
  await page.goto(server.url + 'score.html');
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  const got = JSON.parse(await page.textContent('#out'));
  const { probability, interval } = native('hrs.score', {
    question: 'Who wrote Hamlet?',
    context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
    answer: 'Hamlet was written by Christopher Marlowe in 1620.',
  });
  const points = Array.from({ length: 64 }, (_, i) => [i % 7, (i * 3) % 11, i / 8]);
  const key = { alg: 'ed25519', seed_hex: '11'.repeat(32) };
  const pcs = native('pcs.build', { points, shard_id: 'browser', epoch: 1, sent_at: '2025-01-19T12:00:00Z', key });
  const { action } = native('routing.decide', { risk: probability });
  assert.deepEqual(got, { probability, interval, action, pcs_id: pcs.pcs_id, sig: pcs.sig, status: 200, cost: false });
  assert.deepEqual(fetched.map((f) => f.replace(/-[\w-]{8}\.(wasm|gz)$/, '.$1')).sort(), ['flk-score.wasm', 'hrs-default-model.json.gz', 'hrs-wordnet.txt.gz']);
});

test('the score page downloads at most 250 KB of code (gzip -9), its data files apart', async (t) => {
  const { files, code, data } = await pageDownload(browser, server, dist, 'score.html');
  const list = files.map((f) => `${f.path} ${f.gzip} B`).join(', ');
  t.diagnostic(`${code} B of code, ${PAGE_BUDGET - code} B of room: ${list}`);  // the room a change may spend
  assert.ok(files.some((f) => /\/flk-score-[\w-]+\.wasm$/.test(f.path)), list);
  assert.ok(code <= PAGE_BUDGET, `${code} B of code over the budget of ${PAGE_BUDGET} B: ${list}`);
  assert.ok(data > 0, 'the model and WordNet files are fetched apart');
});

test('a model or WordNet file that cannot be fetched is FlkError model_unavailable for the ops that need it', async () => {
  for (const [file, message] of [
    [/hrs-default-model[\w.-]*\.gz$/, /^the default HRS model is not loaded: fractal-lba: cannot fetch http:\/\/127\.0\.0\.1:\d+\/assets\/hrs-default-model\.json-[\w-]+\.gz: HTTP 404/],
    [/hrs-wordnet[\w.-]*\.gz$/, /^the WordNet table is not loaded: fractal-lba: cannot fetch http:\/\/127\.0\.0\.1:\d+\/assets\/hrs-wordnet\.txt-[\w-]+\.gz: HTTP 404/],
  ]) {
    const page = await browser.newPage();
    await page.route(file, (route) => route.fulfill({ status: 404, body: 'gone' }));
    const [error] = await Promise.all([page.waitForEvent('pageerror', { timeout: 20000 }), page.goto(server.url + 'score.html')]);
    assert.match(error.message, message);
  }
});

test('fractal-lba/web-worker: the same answers from a Web Worker, as promises, typed errors included', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url + 'worker.html');
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
  const got = JSON.parse(await page.textContent('#out'));
  assert.deepEqual(problems, []);
  const { probability, interval } = native('hrs.score', {
    question: 'Who wrote Hamlet?',
    context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
    answer: 'Hamlet was written by Christopher Marlowe in 1620.',
  });
  assert.deepEqual(got, {
    probability,
    interval,
    action: native('routing.decide', { risk: probability }).action,
    sigmoid: native('math.elementary', { fn: 'sigmoid', x: [0, 2, -3] }).y,
    error: { flk: true, code: 'bad_encoding', path: '$.data_hex' },
    after: 'fractal-lba/web-worker: terminated',
    variant: 'score',
  });
});

test('a missing .wasm is a clear error in the browser', async () => {
  const page = await browser.newPage();
  await page.route(/\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const [error] = await Promise.all([page.waitForEvent('pageerror', { timeout: 20000 }), page.goto(server.url)]);
  assert.match(error.message, /^fractal-lba: cannot fetch http:\/\/127\.0\.0\.1:\d+\/assets\/flk-[\w-]+\.wasm: HTTP 404/);
});
