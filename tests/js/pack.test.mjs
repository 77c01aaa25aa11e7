// `npm pack`, installed into a fresh project and used from Node the way a user would: the
// README's Node snippet, the exports map's conditions and subpaths, and the error for a
// missing .wasm.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installPacked, root } from './support/pack.mjs';

let pkg;
before(() => {
  pkg = installPacked('pack');
  copyFileSync(join(root, 'docs/snippets/node.mjs'), join(pkg.dir, 'snippet.mjs'));
});

const node = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: pkg.dir, encoding: 'utf8', ...opts });

test('the tarball holds the package files and nothing else', () => {
  const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.files.filter((f) => f !== 'README.md' && f !== 'package.json').sort(), [...files].sort());
});

test("the README's Node snippet runs against the installed package", () => {
  const r = node(['snippet.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true\nrag_required\nout_of_range $.risk\n');
});

test('export conditions pick the entry for each runtime; subpaths resolve', () => {
  const resolve = (conditions) =>
    node([...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', "console.log(import.meta.resolve('fractal-lba'))"]).stdout.trim();
  assert.match(resolve([]), /node_modules\/fractal-lba\/js\/node\.mjs$/);
  assert.match(resolve(['workerd']), /\/js\/worker\.mjs$/);
  assert.match(resolve(['worker']), /\/js\/worker\.mjs$/);
  const sub = node(['--input-type=module', '-e', `
    import pkg from 'fractal-lba/package.json' with { type: 'json' };
    import { startReactor } from 'fractal-lba/wasi-host';
    import { readFileSync } from 'node:fs';
    const wasm = readFileSync(new URL(import.meta.resolve('fractal-lba/flk-reactor.wasm')));
    const { callRaw } = startReactor(new WebAssembly.Module(wasm));
    console.log(pkg.name, JSON.parse(callRaw('version', '{}')).target);`]);
  assert.equal(sub.stdout, 'fractal-lba wasi\n', sub.stderr);
});

test('a missing .wasm gives an error that names the file and the way out', () => {
  rmSync(join(pkg.dir, 'node_modules/fractal-lba/dist/wasm/flk.wasm'));
  const r = node(['--input-type=module', '-e', "import { createFlk } from 'fractal-lba'; await createFlk({ engine: 'wasm' });"]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /fractal-lba: cannot read \S+\/node_modules\/fractal-lba\/dist\/wasm\/flk\.wasm \(ENOENT\); the package is incomplete or was not built \(npm run build\), or pass \{ wasmBinary \} to createFlk/);
  // the other engine (Node's default) is untouched
  const wasi = node(['--input-type=module', '-e', "import { createFlk } from 'fractal-lba'; console.log((await createFlk()).version().target);"]);
  assert.equal(wasi.stdout, 'wasi\n', wasi.stderr);
});
