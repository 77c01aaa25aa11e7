// Runs calls through every build: native `flk`, the Emscripten module (and its score and verify variants),
// the WASI command module (node:wasi) and the WASI reactor (our shim). Used by the golden and
// parity tests.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWasm } from '../../js/load-wasm.mjs';
import { loadWasi } from '../../js/load-wasi.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
// The native binaries: dist/native, or FLK_NATIVE_DIR (e.g. the sanitizer build's build/asan/dist).
export const nativeDir = resolve(root, process.env.FLK_NATIVE_DIR || 'dist/native');
export const flkBin = `${nativeDir}/flk`;
const cliJs = `${root}js/cli.mjs`;

const run = (cmd, args, input) => {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 2) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};
const lines = (out) => out.split('\n').slice(0, -1);

let wasm, wasmScore, wasmVerify, reactor;
// All builds; given an op a variant lacks, all but that one.
export async function engines(op) {
  wasm ??= await loadWasm();
  wasmScore ??= await loadWasm({ variant: 'score' });
  wasmVerify ??= await loadWasm({ variant: 'verify' });
  reactor ??= (await loadWasi()).callRaw;
  const all = {
    // Each takes [op, inputJsonText] pairs and returns one output line per pair.
    native: (calls) => batchOrCall(calls, (b) => lines(run(flkBin, ['batch'], b)), (op, t) => run(flkBin, ['call', op], t).trimEnd()),
    wasm: (calls) => calls.map(([op, t]) => wasm.callRaw(op, t)),
    wasm_batch: (calls) => batchOrCall(calls, (b) => lines(b).map((l) => wasm.batchLine(l)), (op, t) => wasm.callRaw(op, t)),
    wasi_command: (calls) =>
      batchOrCall(
        calls,
        (b) => lines(run(process.execPath, ['--no-warnings', cliJs, '--engine', 'wasi', 'batch'], b)),
        (op, t) => run(process.execPath, ['--no-warnings', cliJs, '--engine', 'wasi', 'call', op], t).trimEnd(),
      ),
    wasi_reactor: (calls) => calls.map(([op, t]) => reactor(op, t)),
    // The lean browser modules: the same bytes for their ops, unknown_op for the ops they leave out.
    wasm_score: (calls) => calls.map(([o, t]) => wasmScore.callRaw(o, t)),
    wasm_verify: (calls) => calls.map(([o, t]) => wasmVerify.callRaw(o, t)),
  };
  for (const [name, lacks] of Object.entries(notInVariant)) if (op && lacks(op)) delete all[name];
  return all;
}

const parses = (t) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

// Well-formed inputs go through one batch run; malformed ones (which cannot be embedded in a
// batch line) go through `call` one by one.
function batchOrCall(calls, batch, call) {
  const out = new Array(calls.length);
  const idx = [];
  let text = '';
  calls.forEach(([op, t], i) => {
    if (parses(t) && !t.includes('\n')) {
      idx.push(i);
      text += `{"op":${JSON.stringify(op)},"input":${t}}\n`;
    } else out[i] = call(op, t);
  });
  if (idx.length) batch(text).forEach((l, k) => (out[idx[k]] = l));
  return out;
}

// Areas the verify variant (dist/wasm/flk-verify.wasm) leaves out.
export const notInVerify = (op) => /^(hrs|cost|anomaly|compliance|ensemble|policy|canary)\./.test(op) || op === 'gate.decide';
// What each lean variant of the browser module lacks (flk-score.wasm: fitting, cost, anomaly, compliance, policies, the gate).
export const notInVariant = {
  wasm_score: (op) => /^(cost|anomaly|compliance|policy|canary)\./.test(op) || ['hrs.train', 'hrs.eval', 'hrs.eval_scores', 'ensemble.eval', 'gate.decide'].includes(op),
  wasm_verify: notInVerify,
};
