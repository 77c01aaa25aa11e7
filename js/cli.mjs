#!/usr/bin/env node
// node js/cli.mjs [--engine wasm|wasi] call OP | batch | ops
// The same line protocol as the native `flk`, run by the Emscripten module (wasm) or by the
// WASI command module dist/wasi/flk.wasm under node:wasi (wasi), so any input can be compared
// across the three builds from a shell. Input goes to the core as the bytes read (never decoded
// and re-encoded), so invalid UTF-8 gets the same answer as from the native CLI.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
let engine = 'wasm';
if (argv[0] === '--engine') {
  engine = argv[1];
  argv.splice(0, 2);
}

const USAGE = 'usage: node js/cli.mjs [--engine wasm|wasi] call OP | batch | ops\n';
const usage = (problem) => {
  process.stderr.write((problem ? `js/cli.mjs: ${problem}\n` : '') + USAGE);
  process.exit(1);
};
if (['--help', '-h'].includes(argv[0])) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!['wasm', 'wasi'].includes(engine)) usage(`unknown engine ${JSON.stringify(engine)}`);
const valid = (argv[0] === 'call' && argv.length === 2) || (['batch', 'ops'].includes(argv[0]) && argv.length === 1);
if (!valid) usage();

// node:wasi announces itself as experimental on stderr; this tool's stderr is for its own use.
async function importWasi() {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type !== 'ExperimentalWarning' || !String(warning).includes('WASI')) emitWarning.call(process, warning, ...rest);
  };
  try {
    return await import('node:wasi');
  } finally {
    process.emitWarning = emitWarning;
  }
}

// The lines of a batch input, as bytes.
function* lines(bytes) {
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    if (end > start) yield bytes.subarray(start, end);
    start = end + 1;
  }
}

if (engine === 'wasi') {
  const { WASI } = await importWasi();
  const wasi = new WASI({ version: 'preview1', args: ['flk.wasm', ...argv], env: {}, returnOnExit: true });
  const bytes = readFileSync(new URL('../dist/wasi/flk.wasm', import.meta.url));
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), wasi.getImportObject());
  process.exitCode = wasi.start(instance);
} else {
  const { loadWasm } = await import('./load-wasm.mjs');
  const { callRaw, batchLine } = await loadWasm();
  const input = argv[0] === 'ops' ? new Uint8Array(0) : readFileSync(0);
  let rc = 0;
  const emit = (out) => {
    process.stdout.write(out + '\n');
    if (out.startsWith('{"error":')) rc = 2;
  };
  if (argv[0] === 'call') emit(callRaw(argv[1], input));
  else if (argv[0] === 'ops') emit(callRaw('ops', '{}'));
  else for (const line of lines(input)) emit(batchLine(line));
  process.exitCode = rc;
}
