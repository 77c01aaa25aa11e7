// nst/JSONTestSuite's 318 parsing cases (tests/data/JSONTestSuite, MIT) through every engine: the
// native CLI, the Emscripten module (full and verify), the WASI command module and the WASI
// reactor, each given the case's bytes as they are. Every engine must answer with the same
// bytes; y_ cases are accepted (but for the two with duplicate keys, which the core refuses by
// design), n_ cases refused, i_ cases (implementation-defined) merely agree.
// Each case is the value of json.canonicalize: {"value":<case>} (wrapping changes the validity of
// no case), so an accepted case answers its canonical text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { WASI } from 'node:wasi';
import { createFlk } from '../../js/node.mjs';
import { root } from './engines.mjs';
import { tempDir } from './support/workerd.mjs';

const dir = join(root, 'tests/data/JSONTestSuite/test_parsing');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((name) => ({ name, bytes: Buffer.concat([Buffer.from('{"value":'), readFileSync(join(dir, name)), Buffer.from('}')]) }));
const OP = 'json.canonicalize';
const DUPLICATE_KEYS = ['y_object_duplicated_key.json', 'y_object_duplicated_key_and_value.json'];
const REFUSALS = ['bad_json', 'too_deep', 'duplicate_key'];

const utf8 = (s) => Buffer.from(s, 'utf8');
const nativeCall = (op, bytes) => {
  const r = spawnSync(join(root, 'dist/native/flk'), ['call', op], { input: bytes, maxBuffer: 1 << 26 });
  assert.ok(r.status === 0 || r.status === 2, `native flk exited ${r.status}: ${r.stderr}`);
  return r.stdout.subarray(0, r.stdout.length - 1); // without the newline
};

// The WASI command module (dist/wasi/flk.wasm) under node:wasi, stdin and stdout as files: one
// instance per case. Node 20 dies with SIGSEGV after some 50-230 such instances are left to the
// garbage collector (seen on 2026-12-02 on a quiet machine; none with a collection every 25), and
// once more with a collection every 25 on a loaded machine (2026-12-03), so the test collects
// every 5 instances.
const command = new WebAssembly.Module(readFileSync(join(root, 'dist/wasi/flk.wasm')));
const scratch = tempDir('json-suite');
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');
let instances = 0;
function wasiCall(op, bytes) {
  if (++instances % 5 === 0) collect();
  writeFileSync(join(scratch, 'in'), bytes);
  const fds = [openSync(join(scratch, 'in'), 'r'), openSync(join(scratch, 'out'), 'w')];
  try {
    const wasi = new WASI({ version: 'preview1', args: ['flk.wasm', 'call', op], env: {}, stdin: fds[0], stdout: fds[1], returnOnExit: true });
    wasi.start(new WebAssembly.Instance(command, wasi.getImportObject()));
  } finally {
    fds.forEach(closeSync);
  }
  const out = readFileSync(join(scratch, 'out'));
  return out.subarray(0, out.length - 1);
}

test(`JSONTestSuite: ${cases.length} cases, the same bytes from every engine, y_ accepted and n_ refused`, async () => {
  assert.equal(cases.length, 318);
  const wasm = await createFlk({ engine: 'wasm' });
  const verify = await createFlk({ engine: 'wasm', variant: 'verify' });
  const reactor = await createFlk({ engine: 'wasi' });
  const tally = { y: [0, 0], n: [0, 0], i: [0, 0] };
  for (const c of cases) {
    const native = nativeCall(OP, c.bytes);
    const answers = {
      wasm: utf8(wasm.callJson(OP, c.bytes)),
      wasm_verify: utf8(verify.callJson(OP, c.bytes)),
      wasi_reactor: utf8(reactor.callJson(OP, c.bytes)),
      wasi_command: wasiCall(OP, c.bytes),
    };
    for (const [engine, got] of Object.entries(answers))
      assert.ok(got.equals(native), `${c.name}: ${engine} answers ${got.toString('latin1')}, native ${native.toString('latin1')}`);
    const out = JSON.parse(native.toString('utf8'));
    const refused = out.error !== undefined;
    if (refused) assert.ok(REFUSALS.includes(out.error.code), `${c.name}: ${out.error.code}`);
    tally[c.name[0]][refused ? 1 : 0]++;
    if (c.name.startsWith('n_')) assert.ok(refused, `${c.name} was accepted: ${native}`);
    if (c.name.startsWith('y_')) {
      if (DUPLICATE_KEYS.includes(c.name)) assert.equal(out.error?.code, 'duplicate_key', c.name);
      else assert.ok(!refused, `${c.name} was refused: ${native}`);
    }
  }
  assert.deepEqual(tally.y, [93, 2]);
  assert.deepEqual(tally.n, [0, 188]);
});

// The JS CLI reads bytes and never prints node:wasi's ExperimentalWarning: run it on the cases
// that are not valid UTF-8 (where decoding would have changed the input), with no --no-warnings.
test('JSONTestSuite: js/cli.mjs gives the native bytes for every case that is not UTF-8, with nothing on stderr', () => {
  const invalid = cases.filter((c) => !utf8(c.bytes.toString('utf8')).equals(c.bytes));
  assert.ok(invalid.length >= 11, `${invalid.length} cases are not UTF-8`);
  for (const c of invalid) {
    const native = nativeCall(OP, c.bytes);
    for (const engine of ['wasm', 'wasi']) {
      const r = spawnSync(process.execPath, [join(root, 'js/cli.mjs'), '--engine', engine, 'call', OP], { input: c.bytes });
      assert.equal(r.stderr.toString(), '', `${c.name} (${engine}): stderr`);
      assert.ok(r.stdout.subarray(0, r.stdout.length - 1).equals(native), `${c.name} (${engine}): ${r.stdout}`);
      assert.equal(r.status, 2, `${c.name} (${engine}): a refused case exits 2`);
    }
  }
});
