// npm run bench (edge part): sizes of the shipped artefacts, load/instantiate times in Node,
// workerd and Chromium, and what a JSON facade call costs next to the work it does (with the
// typed fast path as the no-JSON reference). Measurements, not tests; the machine is shared, so
// each number is the best (minimum) of several rounds. A part whose host cannot be reached
// (workerd, Chromium, the Vite build) says so and the rest still runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadWasi } from '../../js/load-wasi.mjs';
import { loadWasm } from '../../js/load-wasm.mjs';
import { startWasm } from '../../js/start-wasm.mjs';
import { startReactor } from '../../js/wasi-host.mjs';
import { launchChromium } from '../../tests/js/support/chromium.mjs';
import { PAGE_BUDGET, pageDownload } from '../../tests/js/support/page-download.mjs';
import { installPacked, root } from '../../tests/js/support/pack.mjs';
import { serveStatic } from '../../tests/js/support/static-server.mjs';
import { buildViteApp } from '../../tests/js/support/vite-app.mjs';
import { bundleWorker, startWorkerd } from '../../tests/js/support/workerd.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const us = (ms) => `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
const msf = (ms) => `${ms.toFixed(2)} ms`;
const best = (f) => Math.min(...Array.from({ length: ROUNDS }, f));
const gz = (b) => gzipSync(b, { level: 9 }).length;

// Runs one part of the benchmark; a failure is reported (and the part skipped), not fatal.
const skipped = [];
async function part(name, f) {
  try {
    return await f();
  } catch (e) {
    const why = [e.message, e.cause?.message].filter(Boolean).join(': ').split('\n')[0];
    skipped.push(`${name}: ${why}`);
    console.log(`\n> skipped: ${name} (${why})\n`);
    return undefined;
  }
}

// ---- sizes -------------------------------------------------------------------------------
console.log('\n## Artefact sizes (gzip -9)\n\n| artefact | raw | gzip |\n| --- | --- | --- |');
const pkgFiles = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).files;
const variantFiles = { full: 'flk', score: 'flk-score', verify: 'flk-verify' };
// The scorer's data files, fetched apart by the full and score variants (gzip already).
const DATA_FILES = ['dist/wasm/hrs-default-model.json.gz', 'dist/wasm/hrs-wordnet.txt.gz'];
for (const f of [...Object.values(variantFiles).flatMap((v) => [`dist/wasm/${v}.wasm`, `dist/wasm/${v}.mjs`]), ...DATA_FILES,
  'dist/wasi/flk-reactor.wasm', 'dist/wasi/flk-fastly.wasm', 'dist/wasi/flk.wasm']) {
  const b = readFileSync(join(root, f));
  console.log(`| ${f} | ${kb(b.length)} | ${kb(DATA_FILES.includes(f) ? b.length : gz(b))} |`);
}

const jsFiles = pkgFiles.filter((f) => f.startsWith('js/') && f.endsWith('.mjs'));
const js = Buffer.concat(jsFiles.map((f) => readFileSync(join(root, f))));
console.log(`| package js/*.mjs (${jsFiles.length} files, unminified) | ${kb(js.length)} | ${kb(gz(js))} |`);

// Per op area: what each variant's link adds to the smaller one (the linker keeps only what the
// op table reaches, so the difference between verify and score is the areas' code and data at -Oz;
// full is compiled for speed, so its difference also holds that level's larger code).
const wasmGz = Object.fromEntries(Object.entries(variantFiles).map(([v, f]) => [v, gz(readFileSync(join(root, `dist/wasm/${f}.wasm`)))]));
console.log('\n## Browser module by op area (gzip -9 of flk*.wasm, differences between variants)\n');
console.log('| op areas | gzip |\n| --- | --- |');
console.log(`| runtime, JSON, meta, crypto (libsodium), math, signals, PCS, routing, audit, gate, PII (= verify) | ${kb(wasmGz.verify)} |`);
console.log(`| + HRS scoring, explain, support, models, drift; ensemble gate (= score) | +${kb(wasmGz.score - wasmGz.verify)} |`);
console.log(`| + hrs.train, hrs.eval, ensemble.eval, cost, anomaly, compliance, and everything at -O3 instead of -Oz (= full) | +${kb(wasmGz.full - wasmGz.score)} |`);
for (const f of DATA_FILES) console.log(`| data file ${f} (fetched apart by full and score) | ${kb(statSync(join(root, f)).size)} |`);

// The budget (docs/edge.md, "Size budget"): a scoring page's code, wasm + glue, gzip -9.
console.log('\n## Size budget (gzip -9 of the .wasm plus its .mjs glue; 250 KB for the score variant)\n');
console.log('| variant | compiled for | gzip | 250 KB budget |\n| --- | --- | --- | --- |');
for (const [v, f] of Object.entries(variantFiles)) {
  const code = wasmGz[v] + gz(readFileSync(join(root, `dist/wasm/${f}.mjs`)));
  console.log(`| ${v} | ${v === 'full' ? 'speed (-O3)' : 'size (-Oz)'} | ${kb(code)} | ${code <= PAGE_BUDGET ? `within (${kb(PAGE_BUDGET - code)} to spare)` : `over by ${kb(code - PAGE_BUDGET)}`} |`);
}

const dist = await part('Vite build of tests/vite-app', async () => {
  const out = await buildViteApp();
  const assets = execFileSync('ls', [join(out, 'assets')], { encoding: 'utf8' }).trim().split('\n');
  console.log('\nVite 7 production build of tests/vite-app (what a browser downloads; minified by Vite):\n\n| asset | raw | gzip |\n| --- | --- | --- |');
  for (const a of assets) {
    const b = readFileSync(join(out, 'assets', a));
    console.log(`| ${a} | ${kb(b.length)} | ${kb(gz(b))} |`);
  }
  return out;
});

// ---- Node ----------------------------------------------------------------------------------
const bytes = { wasm: readFileSync(join(root, 'dist/wasm/flk.wasm')), wasi: readFileSync(join(root, 'dist/wasi/flk-reactor.wasm')) };
const start = { wasm: (m) => startWasm(m), wasi: async (m) => startReactor(m) };
console.log('\n## Load and instantiate\n\n| where | engine | step | time |\n| --- | --- | --- | --- |');
for (const engine of ['wasm', 'wasi']) {
  const compile = [];
  const inst = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    const m = await WebAssembly.compile(bytes[engine]);
    compile.push(performance.now() - t);
    t = performance.now();
    (await start[engine](m)).callRaw('version', '{}');
    inst.push(performance.now() - t);
  }
  console.log(`| Node ${process.versions.node} | ${engine} | WebAssembly.compile (Liftoff; TurboFan tiers up in the background) | ${msf(Math.min(...compile))} |`);
  console.log(`| Node | ${engine} | instantiate a compiled module + first call | ${msf(Math.min(...inst))} |`);
  const cold = best(() => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const t0 = performance.now();
      const { createFlk } = await import(${JSON.stringify(join(root, 'js/node.mjs'))});
      await createFlk({ engine: '${engine}' });
      console.log(performance.now() - t0);`], { encoding: 'utf8' });
    return Number(r.stdout);
  });
  console.log(`| Node | ${engine} | fresh process: import + read + compile + instantiate (createFlk) | ${msf(cold)} |`);
}

// ---- workerd -------------------------------------------------------------------------------
// workerd answers its first requests while the isolate still loads; a request is retried a few
// times before the part gives up. Requests go one at a time: one isolate runs one at a time anyway.
const workerd = await part('workerd', async () => {
  const { dir } = installPacked('bench');
  copyFileSync(join(root, 'bench/js/edge-worker.mjs'), join(dir, 'bench.mjs'));
  const modules = await bundleWorker(join(dir, 'bench.mjs'), dir, 'bench');
  const wd = await startWorkerd(dir, [{ name: 'bench', modules }]);
  const ask = async (path, body) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(wd.urls.bench + path, { method: body ? 'POST' : 'GET', body });
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
        return JSON.parse(text).ms;
      } catch (e) {
        if (attempt === 3 || wd.exited()) throw new Error(`workerd ${path.split('?')[0]}: ${e.cause?.message ?? e.message}\n${wd.log()}`);
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  };
  const rounds = async (path, body) => {
    const times = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await ask(path, body));
    return Math.min(...times);
  };
  return { wd, rounds };
});
try {
  if (workerd) {
    const inst = await part('workerd instantiate', () => workerd.rounds('/instantiate?k=50'));
    if (inst !== undefined)
      console.log(`| workerd (npm workerd ${JSON.parse(readFileSync(join(root, 'node_modules/workerd/package.json'), 'utf8')).version}) | wasi | instantiate the imported (deploy-time compiled) module + first call | ${msf(inst)} |`);
  }
  // In workerd when it answers, "—" when it does not.
  const inWorkerd = async (path, body) => (workerd ? ((await part(`workerd ${path.split('&')[0]}`, () => workerd.rounds(path, body))) ?? NaN) : NaN);
  const usW = (ms) => (Number.isNaN(ms) ? '—' : us(ms));

  // ---- per-call overhead ------------------------------------------------------------------
  const golden = JSON.parse(readFileSync(join(root, 'tests/golden/pcs.json'), 'utf8')).cases;
  const verifyInput = (name) => golden.find((c) => c.name === name).input_json;
  const cases = [
    ['version', '{}'],
    ['routing.decide', '{"risk":0.42}'],
    ['crypto.sha256', '{"data_text":"abc"}'],
    ['pcs.verify', verifyInput('§9.1 golden case 1 verifies (HMAC)'), 'pcs.verify golden PCS, HMAC'],
    ['pcs.verify', verifyInput('§9.4 golden case 1 verifies (Ed25519)'), 'pcs.verify golden PCS, Ed25519'],
    ['hrs.score', JSON.stringify({
      question: 'Who wrote Hamlet?',
      context: 'Hamlet is a tragedy written by William Shakespeare around 1600.',
      answer: 'Hamlet was written by Christopher Marlowe in 1620.',
    }), 'hrs.score, the README page\'s short QA example'],
  ];
  const ns = [1, 10, 100, 1000];
  const node = { wasm: await loadWasm(), wasi: await loadWasi() };
  const perCall = (f, k) => best(() => {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) f();
    return (performance.now() - t0) / k;
  });
  console.log('\n## Per call: JSON facade vs typed fast path\n');
  console.log('| call | Node wasm | Node wasi | workerd wasi |\n| --- | --- | --- | --- |');
  for (const [op, input, label] of cases) {
    const k = op === 'hrs.score' ? 20 : op === 'pcs.verify' ? 200 : 2000;
    const w = await inWorkerd(`/call?op=${op}&k=${k}`, input);
    console.log(`| ${label ?? `${op} ${input}`} (JSON) | ${us(perCall(() => node.wasm.callRaw(op, input), k))} | ${us(perCall(() => node.wasi.callRaw(op, input), k))} | ${usW(w)} |`);
  }
  for (const n of ns) {
    const x = Float64Array.from({ length: n }, (_, i) => i / 100 - 5);
    const text = JSON.stringify({ fn: 'sigmoid', x: Array.from(x) });
    const out = new Float64Array(n);
    // enough repetitions for workerd's millisecond clock to resolve the total well
    const kJson = Math.max(20, 20000 / n);
    const kFast = Math.max(500, 400000 / n);
    const jsonW = await inWorkerd(`/call?op=math.elementary&k=${kJson}`, text);
    const fastW = await inWorkerd(`/fast?n=${n}&k=${kFast}`);
    const row = (f, k) => us(perCall(f, k));
    console.log(`| math.elementary sigmoid × ${n}, JSON | ${row(() => node.wasm.callRaw('math.elementary', text), kJson)} | ${row(() => node.wasi.callRaw('math.elementary', text), kJson)} | ${usW(jsonW)} |`);
    console.log(`| fast.elementary sigmoid × ${n}, Float64Array | ${row(() => node.wasm.elementaryF64('sigmoid', x, out), kFast)} | ${row(() => node.wasi.elementaryF64('sigmoid', x, out), kFast)} | ${usW(fastW)} |`);
  }
} finally {
  await workerd?.wd.stop();
}

// ---- Chromium --------------------------------------------------------------------------------
await part('Chromium', async () => {
  if (!dist) throw new Error('no Vite build to serve');
  const server = await serveStatic(dist);
  const browser = await launchChromium().catch(async (e) => {
    await server.close();
    throw e;
  });
  try {
    const loads = { wasm: [], wasi: [] };
    for (let i = 0; i < ROUNDS; i++)
      for (const e of ['wasm', 'wasi']) {
        const page = await browser.newPage();
        await page.goto(`${server.url}engines.html?engine=${e}`);
        await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('{'), null, { timeout: 20000 });
        loads[e].push(JSON.parse(await page.textContent('#out'))[e].load_ms);
        await page.close();
      }
    for (const e of ['wasm', 'wasi'])
      console.log(`| Chromium ${browser.version()} | ${e} | fresh page, loopback server: createFlk = fetch chunks + fetch/compile wasm + instantiate | ${msf(Math.min(...loads[e]))} |`);

    // What each page of the Vite app fetches, gzip -9 per file (the data files as they are: they
    // are gzip already), against the issue's 250 KB target for the code; the model and WordNet
    // files are counted apart. The score page's files are listed one by one.
    console.log('\n## Browser download per page (gzip -9 of every file the page fetched)\n');
    console.log('| page | files | code gzip | 250 KB target | + data files (model, WordNet) |\n| --- | --- | --- | --- | --- |');
    let scorePage;
    for (const [path, what] of [['', 'README page: full module, HRS + PCS'], ['engines.html?engine=wasm', 'full module, engine wasm'],
      ['engines.html?engine=wasi', 'full module, engine wasi (reactor)'], ['score.html', 'score variant: HRS score, PCS sign/verify, routing'],
      ['verify.html', 'verify variant: PCS sign/verify, routing']]) {
      const { files, code, data } = await pageDownload(browser, server, dist, path);
      if (path === 'score.html') scorePage = files;
      console.log(`| ${what} | ${files.length} | ${kb(code)} | ${code <= PAGE_BUDGET ? 'within' : 'over'} | ${data ? kb(data) : '—'} |`);
    }
    console.log('\nThe score page by file:\n\n| file | gzip |\n| --- | --- |');
    for (const f of scorePage) console.log(`| ${f.path.replace(/-[\w-]{8}\./, '.')}${f.data ? ' (data)' : ''} | ${f.gzip.toLocaleString('en')} B |`);
  } finally {
    await browser.close();
    await server.close();
  }
});

if (skipped.length) console.log(`\nSkipped (host not reachable or failed):\n${skipped.map((x) => `- ${x}`).join('\n')}`);
