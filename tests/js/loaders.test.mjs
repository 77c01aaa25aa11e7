// The JS loaders under failure: an engine that traps (or aborts) is discarded and createFlk()
// gives a fresh one; an allocation the reactor cannot make is FlkError out_of_memory; a JS
// string that is not Unicode text gets the same refusal from both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { inflateStream } from '../../js/default-model.mjs';
import { makeCreateFlk } from '../../js/create.mjs';
import { createFlk, FlkError } from '../../js/node.mjs';
import { startWasm } from '../../js/start-wasm.mjs';
import { reactorCore, wasiImports } from '../../js/wasi-host.mjs';
import { root } from './engines.mjs';

// math.elementary's scratch buffer for 2^30 doubles is more than a wasm32 memory holds: the
// core's allocation fails, and without exceptions that aborts (a trap) in both engines.
const HUGE = 2 ** 30;
const trapIt = (flk) => flk.fast.elementary('sigmoid', { length: HUGE }, { length: HUGE, set() {} });

for (const engine of ['wasm', 'wasi']) {
  test(`${engine}: an engine that trapped is discarded, and the next createFlk() gives a fresh one`, async () => {
    const flk = await createFlk({ engine });
    assert.equal(await createFlk({ engine }), flk, 'memoised while healthy');
    assert.throws(() => trapIt(flk), (e) => e instanceof FlkError && e.code === 'engine_trapped');
    assert.throws(() => flk.call('version'), (e) => e instanceof FlkError && e.code === 'engine_trapped' && /trapped earlier/.test(e.message));
    assert.throws(() => flk.callJson('version', '{}'), (e) => e.code === 'engine_trapped');
    const fresh = await createFlk({ engine });
    assert.notEqual(fresh, flk);
    assert.equal(fresh.call('crypto.sha256', { data_text: 'abc' }).digest_hex, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(await createFlk({ engine }), fresh);
  });
}

test('a typed error is not a trap: the instance stays', async () => {
  const flk = await createFlk({ engine: 'wasi' });
  assert.throws(() => flk.call('routing.decide', { risk: 2 }), (e) => e.code === 'out_of_range');
  assert.throws(() => flk.fast.elementary('nope', [1]), (e) => e.code === 'out_of_range');
  assert.equal(await createFlk({ engine: 'wasi' }), flk);
});

test('a trap while another caller awaits the same load: both see one instance, then a fresh one', async () => {
  // A genuine wasm trap: a module whose only function is `unreachable`.
  const bytes = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11);
  const { f } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  let loads = 0;
  const create = makeCreateFlk(
    { wasi: async () => (++loads, { callRaw: (op) => (op === 'ops' ? '{"ops":[],"types":{}}' : f()) }) },
    'wasi',
    'test',
  );
  const [a, b] = await Promise.all([create(), create()]);
  assert.equal(a, b);
  assert.throws(() => a.callJson('version', '{}'), (e) => e.code === 'engine_trapped' && /unreachable/.test(e.message));
  const c = await create();
  assert.notEqual(c, a);
  assert.equal(loads, 2);
});

function reactorExports() {
  const module = new WebAssembly.Module(readFileSync(join(root, 'dist/wasi/flk-reactor.wasm')));
  let instance;
  instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasiImports(() => instance.exports.memory) });
  instance.exports._initialize();
  return instance.exports;
}

test('wasi: flk_alloc failing is FlkError out_of_memory; only the kept call buffer stays allocated', () => {
  const real = reactorExports();
  let allocs = 0;
  const live = new Set();
  const core = reactorCore({
    ...real,
    flk_alloc: (n) => {
      if (++allocs === 2) return 0; // the second buffer fails
      const p = real.flk_alloc(n);
      live.add(p);
      return p;
    },
    flk_free: (p) => (live.delete(p), real.flk_free(p)),
  });
  assert.equal(core.callRaw('version', '{}').includes('"target":"wasi"'), true);
  assert.equal(core.callRaw('version', '{}').includes('"target":"wasi"'), true, 'a small call reuses the kept buffer');
  assert.equal(allocs, 1);
  const larger = JSON.stringify({ data_text: 'x'.repeat(4000) }); // more than the kept buffer holds
  assert.throws(() => core.callRaw('crypto.sha256', larger), (e) => e instanceof FlkError && e.code === 'out_of_memory' && /bytes for the op name and input/.test(e.message));
  assert.equal(core.callRaw('version', '{}').includes('"target":"wasi"'), true, 'the instance is still usable');
  assert.equal(JSON.parse(core.callRaw('crypto.sha256', larger)).digest_hex.length, 64, 'the kept buffer grows');
  const text = `{"data_text":"é€😀${'x'.repeat(1 << 20)}"}`; // past the direct-encoding bound
  assert.equal(core.callRaw('crypto.sha256', new TextEncoder().encode(text)), core.callRaw('crypto.sha256', text), 'bytes and text agree');
  assert.equal(core.callRaw('crypto.sha256', text.slice(0, 40) + '"}'), core.callRaw('crypto.sha256', new TextEncoder().encode(text.slice(0, 40) + '"}')));
  assert.equal(live.size, 1, 'nothing is left allocated but the kept buffer');
  const none = reactorCore({ ...real, flk_alloc: () => 0 });
  assert.throws(() => none.callRaw('version', '{}'), (e) => e.code === 'out_of_memory');
  assert.throws(() => none.elementaryF64('sigmoid', [1], new Float64Array(1)), (e) => e.code === 'out_of_memory');
});

test('a lone surrogate in a JS string is refused alike by both engines; bytes pass as they are', async () => {
  const wasm = await createFlk({ engine: 'wasm' });
  const wasi = await createFlk({ engine: 'wasi' });
  for (const text of ['{"value":"\uD800"}', '{"value":"a\uDC00b"}', '{"value":"\uDC00\uD800"}']) {
    const a = wasm.callJson('json.canonicalize', text);
    assert.equal(a, wasi.callJson('json.canonicalize', text));
    assert.equal(JSON.parse(a).error.code, 'bad_json', a);
  }
  assert.equal(wasm.callJson('\uD800', '{}'), wasi.callJson('\uD800', '{}'));
  // A pair is text; JSON.stringify escapes a lone one, and the escape is the core's to judge.
  assert.equal(wasm.callJson('json.canonicalize', '{"value":"\uD83D\uDE00"}'), wasi.callJson('json.canonicalize', '{"value":"\uD83D\uDE00"}'));
  assert.equal(JSON.parse(wasm.callJson('json.canonicalize', '{"value":"\uD83D\uDE00"}')).text, '"\\ud83d\\ude00"');
  for (const v of ['\uD800', '\uDC00', 'x\uDBFFy']) {
    const input = { value: v };
    assert.equal(wasm.callJson('json.canonicalize', JSON.stringify(input)), wasi.callJson('json.canonicalize', JSON.stringify(input)));
  }
  const bytes = Uint8Array.of(...Buffer.from('{"value":"'), 0xff, ...Buffer.from('"}'));
  assert.equal(wasm.callJson('json.canonicalize', bytes), wasi.callJson('json.canonicalize', bytes));
  assert.equal(JSON.parse(wasi.callJson('json.canonicalize', bytes.buffer)).error.code, 'bad_json');
});

test('wasm: the default HRS model is a file beside the module; without it only the ops that need it fail', async () => {
  const file = readFileSync(join(root, 'dist/wasm/hrs-default-model.json.gz'));
  const input = { question: 'What is the capital of France?', answer: 'Paris is the capital of France.' };
  const reference = (await createFlk({ engine: 'wasm' })).hrs.score(input);
  // The file's bytes, gzip or the JSON text (a server may have sent it with Content-Encoding: gzip).
  for (const hrsModel of [new Uint8Array(file), gunzipSync(file).buffer]) {
    const flk = await createFlk({ engine: 'wasm', hrsModel });
    assert.deepEqual(flk.hrs.score(input), reference);
  }
  const without = await createFlk({ engine: 'wasm', hrsModel: false });
  assert.equal(without.crypto.sha256({ data_text: 'abc' }).digest_hex.length, 64);
  for (let i = 0; i < 2; ++i)
    assert.throws(() => without.hrs.score(input), (e) => e instanceof FlkError && e.code === 'model_unavailable' && /hrsModel: false/.test(e.message));
  const broken = await createFlk({ engine: 'wasm', hrsModel: file.subarray(0, 1000) });
  assert.throws(
    () => broken.hrs.models(),
    (e) => e instanceof FlkError && e.code === 'model_unavailable' && /^the default HRS model is not loaded: fractal-lba: options\.hrsModel is not valid gzip or inflates to over/.test(e.message),
  );
  // A gzip bomb stops at the core's bound on the text while it inflates: 5 MiB of zeros as the WordNet file (4 MiB).
  const bomb = await createFlk({ engine: 'wasm', variant: 'score', hrsWordnet: gzipSync(new Uint8Array(5 << 20)) });
  assert.throws(
    () => bomb.hrs.support({ context: 'a b.', answer: 'a b.' }),
    (e) => e instanceof FlkError && e.code === 'model_unavailable' && /options\.hrsWordnet is not valid gzip or inflates to over 4194304 bytes/.test(e.message),
  );
  for (const max of [10, 1 << 20]) {
    const text = new TextEncoder().encode('x'.repeat(1000));
    if (max < text.length) await assert.rejects(inflateStream(gzipSync(text), max), /more than 10 bytes/);
    else assert.deepEqual(await inflateStream(gzipSync(text), max), text);
  }
  // The loaders inflate the file; gzip bytes that reach the module are refused, not parsed.
  const module = await WebAssembly.compile(readFileSync(join(root, 'dist/wasm/flk-score.wasm')));
  const core = await startWasm(module, {}, 'score', { model: { text: file }, wordnet: { reason: 'not needed' } });
  assert.match(JSON.parse(core.callRaw('hrs.models', '{}')).error.message, /^the default HRS model file: the bytes are gzip; the loader inflates/);
  await assert.rejects(createFlk({ engine: 'wasm', hrsModel: 'model.json' }), /hrsModel must be the bytes/);
});

test('wasm: the WordNet table is a file beside the module too; without it the ops that compute HRS features fail', async () => {
  const file = readFileSync(join(root, 'dist/wasm/hrs-wordnet.txt.gz'));
  // "bought" and "purchased" are in one synonym group; the WASI reactor embeds the table.
  const input = { context: 'Anna bought a red car in May.', answer: 'Anna purchased a red car in May.' };
  const reference = (await createFlk({ engine: 'wasm', variant: 'score' })).hrs.support(input);
  assert.deepEqual(reference, (await createFlk({ engine: 'wasi' })).hrs.support(input));
  for (const hrsWordnet of [new Uint8Array(file), gunzipSync(file).buffer]) {
    const flk = await createFlk({ engine: 'wasm', variant: 'score', hrsWordnet });
    assert.deepEqual(flk.hrs.support(input), reference);
  }
  const without = await createFlk({ engine: 'wasm', hrsWordnet: false });
  assert.equal(without.hrs.models().models.length > 0, true);
  for (const op of ['hrs.support', 'hrs.score', 'hrs.features', 'ensemble.verify'])
    assert.throws(
      () => without.call(op, input),
      (e) => e instanceof FlkError && e.code === 'model_unavailable' && /^the WordNet table is not loaded: createFlk was given hrsWordnet: false/.test(e.message),
      op,
    );
  const broken = await createFlk({ engine: 'wasm', hrsWordnet: file.subarray(0, 1000) });
  assert.throws(
    () => broken.hrs.support(input),
    (e) => e instanceof FlkError && e.code === 'model_unavailable' && /^the WordNet table is not loaded: fractal-lba: options\.hrsWordnet is not valid gzip or inflates to over/.test(e.message),
  );
  await assert.rejects(createFlk({ engine: 'wasm', hrsWordnet: 'wordnet.txt' }), /hrsWordnet must be the bytes/);
});
