// The JavaScript API: loading, memoisation, helpers, typed errors, both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlk, FlkError } from '../../js/node.mjs';

for (const engine of ['wasm', 'wasi']) {
  test(`${engine}: helpers, call and callJson agree`, async () => {
    const flk = await createFlk({ engine });
    assert.equal(flk.engine, engine);
    const a = flk.crypto.sha256({ data_text: 'abc' });
    const b = flk.call('crypto.sha256', { data_text: 'abc' });
    assert.deepEqual(a, b);
    assert.equal(a.digest_hex, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(flk.callJson('crypto.sha256', '{"data_text":"abc"}'), JSON.stringify(a));
    assert.equal(flk.version().target, engine === 'wasm' ? 'emscripten' : 'wasi');
  });

  test(`${engine}: typed errors are FlkError with code and path`, async () => {
    const flk = await createFlk({ engine });
    assert.throws(() => flk.crypto.sha256({ data_hex: 'xyz' }), (e) => e instanceof FlkError && e.code === 'bad_encoding' && e.path === '$.data_hex');
    assert.throws(() => flk.call('no.such.op', {}), (e) => e instanceof FlkError && e.code === 'unknown_op' && !/variant/.test(e.message));
    assert.match(flk.callJson('version', '{"a":'), /^\{"error":\{"code":"bad_json"/);
  });

  test(`${engine}: random key pairs differ and sign/verify round-trips`, async () => {
    const flk = await createFlk({ engine });
    const k1 = flk.crypto.ed25519_keypair();
    const k2 = flk.crypto.ed25519_keypair();
    assert.notEqual(k1.seed_hex, k2.seed_hex);
    const { signature_b64 } = flk.crypto.ed25519_sign({ seed_b64: k1.seed_b64, message_text: 'hello' });
    assert.equal(flk.crypto.ed25519_verify({ public_key_b64: k1.public_key_b64, signature_b64, message_text: 'hello' }).valid, true);
    assert.equal(flk.crypto.ed25519_verify({ public_key_b64: k2.public_key_b64, signature_b64, message_text: 'hello' }).valid, false);
  });
}

test('createFlk is memoised and safe to call concurrently', async () => {
  const [a, b] = await Promise.all([createFlk(), createFlk()]);
  assert.equal(a, b);
  assert.equal(a.engine, 'wasi', 'Node defaults to the -O3 reactor');
  assert.equal(await createFlk({ engine: 'wasi' }), a);
  assert.notEqual(await createFlk({ engine: 'wasm' }), a);
});

test('unknown engine and broken wasm give clear errors', async () => {
  await assert.rejects(createFlk({ engine: 'asmjs' }), /engine "asmjs" is not available in Node \(use 'wasm' or 'wasi'; variant 'score' or 'verify' with engine 'wasm'\)/);
  await assert.rejects(createFlk({ engine: 'wasi', variant: 'verify' }), /engine "wasi" with variant "verify" is not available in Node/);
  for (const engine of ['wasm', 'wasi'])
    await assert.rejects(
      createFlk({ engine, wasmBinary: new Uint8Array([0, 1, 2]), wasiBinary: new Uint8Array([0, 1, 2]) }),
      /fractal-lba: options\.(wasm|wasi)Binary is not a valid WebAssembly module/,
    );
});

test('a large input is handled, and one over the limit is a typed error', async () => {
  const flk = await createFlk();
  const big = 'a'.repeat(8 << 20);
  assert.equal(flk.crypto.sha256({ data_text: big }).digest_hex.length, 64);
  const tooBig = '{"data_text":"' + 'a'.repeat(65 << 20) + '"}';
  assert.match(flk.callJson('crypto.sha256', tooBig), /"code":"too_large"/);
});

test('the verify variant: the same bytes for its ops, no hrs/cost/anomaly, memoised apart from the full module', async () => {
  const [lean, again, full] = await Promise.all([createFlk({ variant: 'verify' }), createFlk({ variant: 'verify' }), createFlk()]);
  assert.equal(lean, again);
  assert.notEqual(lean, full);
  assert.equal(lean.variant, 'verify');
  assert.equal(full.variant, 'full');
  const names = lean.call('ops').ops.map((o) => o.name);
  assert.ok(names.includes('pcs.verify') && names.includes('routing.decide') && names.includes('crypto.ed25519_sign'));
  assert.deepEqual(names.filter((n) => /^(hrs|cost|anomaly|compliance|ensemble)\./.test(n)), []);
  assert.equal(lean.verify, undefined);
  assert.equal(typeof full.verify, 'function');
  assert.ok(names.includes('pii.scan') && names.includes('pii.redact'), 'pages can redact with the lean module');
  assert.equal(lean.hrs, undefined);
  assert.throws(() => lean.call('hrs.score', { answer: 'a' }), (e) => e instanceof FlkError && e.code === 'unknown_op' && /the verify variant/.test(e.message));
  const input = { rows: ['a', 'b', 'c'], chunk_size: 1 };
  assert.deepEqual(lean.merkle.root(input), full.merkle.root(input));
  assert.deepEqual(lean.fast.elementary('log', [2]), full.fast.elementary('log', [2]));
});

test('the score variant: HRS scoring and the ensemble gate with the same bytes, no training, cost or anomaly', async () => {
  const [scorer, full] = await Promise.all([createFlk({ variant: 'score' }), createFlk({ engine: 'wasm' })]);
  assert.equal(scorer.variant, 'score');
  const scorerOps = scorer.call('ops');
  const names = scorerOps.ops.map((o) => o.name);
  assert.deepEqual(names.filter((n) => /^(cost|anomaly|compliance)\./.test(n) || ['hrs.train', 'hrs.eval', 'ensemble.eval'].includes(n)), []);
  const fullOps = full.call('ops');
  const fullNames = new Set(fullOps.ops.map((o) => o.name));
  assert.ok(names.every((n) => fullNames.has(n)) && names.includes('hrs.explain') && names.includes('pcs.verify'));
  // The lean variants leave the ops' descriptions out of the download (facade/registry.h); the full one has them.
  const described = (o) => o.summary !== '' || o.input !== '' || o.output !== '';
  assert.deepEqual(scorerOps.ops.filter(described), []);
  assert.ok(fullOps.ops.every(described) && Object.values(fullOps.types).every((ts) => ts !== ''));
  const input = { question: 'Who wrote Hamlet?', context: 'Hamlet is a tragedy by William Shakespeare.', answer: 'Christopher Marlowe wrote Hamlet.' };
  assert.deepEqual(scorer.hrs.score(input), full.hrs.score(input));
  assert.deepEqual(scorer.verify({ ...input, policy: { voters: ['risk', 'grounding'] } }), full.verify({ ...input, policy: { voters: ['risk', 'grounding'] } }));
  assert.throws(() => scorer.call('hrs.train', { examples: [] }),
    (e) => e instanceof FlkError && e.code === 'unknown_op' && /the score variant leaves some ops out, createFlk\(\{ variant: 'full' \}\)/.test(e.message));
});
