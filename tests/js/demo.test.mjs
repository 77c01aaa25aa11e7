// demo/ as a person uses it: the static build (vite build of demo/vite.config.mjs) served from a
// plain file server on a free loopback port, every page opened in headless Chromium, its main
// action performed and the result checked in the DOM; a screenshot of each page goes to
// $FLK_TEST_OUT/demo (default build/test-output/demo); any console error or page error fails the test.
// The last test runs `npm run demo`'s dev server (Vite's createServer on the same config) with
// FLK_SERVER pointing at a real flk-server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { createFlk } from '../../js/index.mjs';
import { launchChromium } from './support/chromium.mjs';
import { buildDemo } from './support/demo-app.mjs';
import { root } from './support/pack.mjs';
import { serveStatic } from './support/static-server.mjs';
import { startServer, tmp } from './server-harness.mjs';

const outDir = join(process.env.FLK_TEST_OUT ?? join(root, 'build/test-output'), 'demo');
mkdirSync(outDir, { recursive: true });
const TIMEOUT = 60000;

let server, browser;
before(async () => {
  server = await serveStatic(await buildDemo());
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Opens a page, collects console errors, runs action(page, snap) (snap() saves the page's
// screenshot; without it the screenshot is taken at the end), fails on any error.
async function onPage(file, shot, action, base = server.url) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base + file);
  let snapped = false;
  const snap = () => {
    snapped = true;
    return page.screenshot({ path: join(outDir, `${shot}.png`), fullPage: true });
  };
  try {
    await action(page, snap);
  } finally {
    if (!snapped) await snap();
    await page.close();
  }
  assert.deepEqual(problems, []);
}

const text = (page, sel) => page.textContent(sel, { timeout: TIMEOUT });

test('Verify: a real hallucinated example is scored, gated, routed and its sentence highlighted', () => onPage('index.html', 'verify', async (page) => {
  await page.click('text=halueval_qa · hallucinated');
  await page.waitForSelector('#highlighted mark', { timeout: TIMEOUT });
  const p = Number(await text(page, '#probability'));
  assert.ok(p > 0 && p < 1, String(p));
  assert.match(await text(page, '#interval'), /^0\.\d{3} – [01]\.\d{3}$/);
  assert.match(await text(page, '#band'), /^(low|medium|high)$/);
  assert.match(await text(page, '#action'), /^(accept|rag_required|human_review|reject)$/);
  assert.match(await text(page, '#decision'), /^(accept|escalate|reject)$/);
  assert.ok((await page.$$('#result table')).length >= 3);
}));

test('Verify: an empty answer shows the core error next to the answer field', () => onPage('index.html', 'verify-error', async (page) => {
  await page.fill('#question', 'Who wrote Hamlet?');
  await page.click('#verify');
  const err = await text(page, '#answer-error');
  assert.match(err, /^\S+ \$\.answer/);
  assert.equal(await page.getAttribute('#answer', 'aria-invalid'), 'true');
}));

test('Verify: a paste over the field limit is refused with the limit', () => onPage('index.html', 'verify-paste', async (page) => {
  await page.focus('#answer');
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text', 'x'.repeat((64 << 10) + 1));
    document.querySelector('#answer').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.match(await text(page, '#answer-error'), /^too_large paste refused: 65537 bytes, this field takes at most 64 KiB$/);
  assert.equal(await page.inputValue('#answer'), '');
}));

test('PCS: key, build and sign, verify 200, tamper a field, verify 401; a type error lands at the field', () => onPage('pcs.html', 'pcs', async (page, snap) => {
  await page.click('#keygen');
  assert.match(await text(page, '#public-key'), /^[0-9a-f]{64}$/);
  await page.click('#build');
  await page.waitForSelector('#pcs-out table', { timeout: TIMEOUT });
  await page.click('#verify');
  await page.waitForSelector('.verdict', { timeout: TIMEOUT });
  assert.match(await text(page, '.verdict.good'), /^as signed: 200 accepted/);
  await page.selectOption('#tamper-field', 'D_hat');
  await page.fill('#tamper-value', '2.5');
  await page.click('#tamper');
  await page.waitForSelector('.verdict.bad', { timeout: TIMEOUT });
  assert.match(await text(page, '.verdict.bad'), /^D_hat changed to 2\.5: 401 rejected — signature invalid/);
  await snap();
  await page.fill('#tamper-value', '"two"');
  await page.click('#tamper');
  assert.match(await text(page, '#tamper-value-error'), /^wrong_type \$\.pcs\.D_hat/);
  await page.fill('#shard', '');
  await page.click('#build');
  assert.match(await text(page, '#shard-error'), /\$\.shard_id/);
}));

test('Cost: the ledger priced, spend charts, budget decision, forecast band, reconciliation drift, advice', () => onPage('cost.html', 'cost', async (page, snap) => {
  await page.waitForSelector('#recommendations li', { timeout: TIMEOUT });
  assert.match(await text(page, '#catalog'), /870 events recorded/);
  assert.equal((await page.$$('#spend canvas')).length, 2);
  assert.match(await text(page, '#cptt'), /^\$0\.\d{4}$/);
  assert.match(await text(page, '#budget-action'), /^(allow|degrade|throttle|queue|deny)$/);
  assert.ok(Number(await page.getAttribute('#gauge', 'value')) > 0);
  assert.equal((await page.$$('#forecast canvas')).length, 1);
  assert.match(await text(page, '#reconcile-status'), /^(within_target|drift_detected|critical_drift)$/);
  assert.match(await text(page, '#reconcile tbody tr:first-child'), /^OpenAI.*drift_detected.*2025-09-2\d/);
  assert.match(await text(page, '#savings'), /^\$\d/);
  await snap();
  await page.fill('#cap', 'lots');
  await page.click('#run');
  assert.match(await text(page, '#cap-error'), /\$\.policy\.cap_usd/);
}));

test('Anomaly: detector fitted and scored on the NAB series; labelling moves the threshold', () => onPage('anomaly.html', 'anomaly', async (page, snap) => {
  await page.waitForSelector('#label-all', { timeout: TIMEOUT });
  const before = await text(page, '#threshold');
  const flaggedBefore = await text(page, '#flagged');
  assert.equal((await page.$$('#result canvas')).length, 2);
  await page.click('#label-all');
  await page.waitForSelector('#sweep', { timeout: TIMEOUT });
  const after = await text(page, '#threshold');
  assert.notEqual(after, before, await text(page, '#sweep'));
  assert.notEqual(await text(page, '#flagged'), flaggedBefore);
  assert.equal(await text(page, '.given-label >> nth=0'), 'normal');
  await page.click('.mark-anomaly >> nth=0');
  await page.waitForFunction(() => document.querySelector('.given-label').textContent === 'anomaly', null, { timeout: TIMEOUT });
  assert.match(await text(page, '#feedback-status'), /^40 labelled; at threshold 0\.\d{4}: TP \d+, FP \d+/);
  await snap();
  await page.fill('#train-rows', '1');
  await page.click('#fit');
  assert.match(await text(page, '#train-rows-error'), /\$\.rows/);
}));

test('Model: card, metrics per data set, ROC, PR and calibration charts', () => onPage('model.html', 'model', async (page) => {
  await page.waitForSelector('#curves canvas', { timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelectorAll('#curves canvas').length === 3, null, { timeout: TIMEOUT });
  assert.match(await text(page, '#model-id'), /^[0-9a-f]{64}$/);
  const rows = await page.$$eval('#metrics tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 7);
  for (const [, n, , auroc] of rows.slice(1)) {
    assert.equal(n, '60');
    assert.ok(Number(auroc) > 0.5, auroc);
  }
}));

test('Policy: the stricter policy simulated on the recorded trace shows the same deltas as the op in Node; a band gap lands at its path', () => onPage('policy.html', 'policy', async (page, snap) => {
  const read = (f) => readFileSync(join(root, 'demo/data', f), 'utf8');
  const trace = read('policy-trace.jsonl').trim().split('\n').map((l) => JSON.parse(l));
  const flk = await createFlk();
  const candidate = JSON.parse(read('policy-routing-strict.json'));
  const want = flk.call('policy.simulate', { policy: candidate, baseline: JSON.parse(read('policy-routing.json')), trace });
  assert.ok(want.changed > 0);
  await page.click('#simulate');
  await page.waitForSelector('#changed-ids', { timeout: TIMEOUT });
  assert.equal(await text(page, '#changed'), String(want.changed));
  assert.equal((await page.$$('#actions-chart canvas')).length, 1);
  assert.equal(await text(page, '#escalation-before'), want.escalation.baseline.toFixed(3));
  assert.equal(await text(page, '#escalation-after'), want.escalation.candidate.toFixed(3));
  assert.equal(await text(page, '#containment-before'), want.containment.baseline.toFixed(3));
  assert.equal(await text(page, '#containment-after'), want.containment.candidate.toFixed(3));
  assert.equal(Number(await text(page, '#cost-delta')), Number(want.cost_usd.delta.toFixed(4)));
  assert.equal(await text(page, '#changed-ids'), want.changed_ids.join(' '));
  const actions = await page.$$eval('#actions tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  for (const [a, b, c] of actions) assert.deepEqual([Number(b), Number(c)], [want.actions.baseline[a] ?? 0, want.actions.candidate[a] ?? 0], a);
  assert.equal(await text(page, '#labelled tbody tr:first-child td:last-child'), String(want.labelled_changes.newly_contained));
  await snap();
  await page.selectOption('#baseline', 'recorded');
  await page.click('#simulate');
  await page.waitForFunction(() => /recorded actions/.test(document.querySelector('#report p')?.textContent), null, { timeout: TIMEOUT });
  const bad = structuredClone(candidate);
  bad.spec.bands[1].max_risk = 0.7;
  await page.fill('#policy', JSON.stringify(bad, null, 2));
  await page.click('#simulate');
  assert.match(await text(page, '#policy-error'), /^out_of_range \$\.policy\.spec\.bands\[2\]\.min_risk/);
  assert.equal(await page.getAttribute('#policy', 'aria-invalid'), 'true');
  assert.equal(await text(page, '#report'), '');
}));

test('npm run demo with FLK_SERVER: the dev server works and flk-server scores the same bytes as the browser', async () => {
  const srv = await startServer({ data: tmp('flk-demo-srv-') });
  process.env.FLK_SERVER = srv.url;
  const dev = await createServer({ configFile: join(root, 'demo/vite.config.mjs'), logLevel: 'silent', server: { port: 0 } });
  try {
    await dev.listen();
    await onPage('index.html', 'verify-server', async (page) => {
      await page.click('text=begin_dialogue · hallucinated');
      await page.waitForSelector('#server-same', { timeout: TIMEOUT });
      assert.equal(await text(page, '#server-same'), 'the same as in this browser');
      assert.equal(await text(page, '#server-probability'), await text(page, '#probability'));
    }, dev.resolvedUrls.local[0]);
  } finally {
    delete process.env.FLK_SERVER;
    await dev.close();
    await srv.stop();
  }
});
