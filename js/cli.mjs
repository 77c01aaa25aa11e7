#!/usr/bin/env node
// node js/cli.mjs [--engine wasm|wasi] call OP | batch | ops
// The same line protocol as the native `flk`, run by the Emscripten module (wasm) or by the
// WASI command module dist/wasi/flk.wasm under node:wasi (wasi), so any input can be compared
// across the three builds from a shell.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
let engine = 'wasm';
if (argv[0] === '--engine') {
  engine = argv[1];
  argv.splice(0, 2);
}

const usage = () => {
  process.stderr.write('usage: node js/cli.mjs [--engine wasm|wasi] call OP | batch | ops\n');
  process.exit(1);
};
const valid = (argv[0] === 'call' && argv.length === 2) || (['batch', 'ops'].includes(argv[0]) && argv.length === 1);
if (!valid) usage();

if (engine === 'wasi') {
  const { WASI } = await import('node:wasi');
  const wasi = new WASI({ version: 'preview1', args: ['flk.wasm', ...argv], env: {}, returnOnExit: true });
  const bytes = readFileSync(new URL('../dist/wasi/flk.wasm', import.meta.url));
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), wasi.getImportObject());
  process.exitCode = wasi.start(instance);
} else if (engine === 'wasm') {
  const { loadWasm } = await import('./load-wasm.mjs');
  const { callRaw, batchLine } = await loadWasm();
  const input = argv[0] === 'ops' ? '' : readFileSync(0, 'utf8');
  let rc = 0;
  const emit = (out) => {
    process.stdout.write(out + '\n');
    if (out.startsWith('{"error":')) rc = 2;
  };
  if (argv[0] === 'call') emit(callRaw(argv[1], input));
  else if (argv[0] === 'ops') emit(callRaw('ops', '{}'));
  else for (const line of input.split('\n')) if (line) emit(batchLine(line));
  process.exitCode = rc;
} else usage();
