// npm run bench: times bench/cases.json through the Emscripten build (its full variant, compiled
// for speed, and its score variant, compiled for size, on the ops it has), the WASI build and, for
// the crypto rows, @noble/ed25519 and tweetnacl in the same Node process, and the native facade
// (dist/native/flk_bench) in turn with them; one table with ratios to native.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import * as noble from '@noble/ed25519';
import nacl from 'tweetnacl';
import { loadWasm } from '../../js/load-wasm.mjs';
import { loadWasi } from '../../js/load-wasi.mjs';
import { timePerCall } from './time-per-call.mjs';

const root = new URL('../../', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('bench/cases.json', root), 'utf8'));
const budgetMs = Number(process.env.BENCH_MS ?? 400);
// Each number is the median of ROUNDS timings; a case's engines and peers take turns within a
// round, so a burst of load on this shared machine moves one round, not one engine's number.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Native takes its turn in each round too: one flk_bench process per case and round (its first,
// loading iterations are Google Benchmark's calibration runs, not the timed one).
const flkBench = new URL('dist/native/flk_bench', root).pathname;
const reEscape = (s) => s.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
function nativeTime(name) {
  const nb = spawnSync(flkBench, [`--benchmark_filter=^facade/${reEscape(name)}$`, `--benchmark_min_time=${budgetMs / rounds / 1000}`, '--benchmark_format=json'], { encoding: 'utf8' });
  if (nb.status !== 0) return undefined;
  return JSON.parse(nb.stdout).benchmarks[0]?.real_time;
}

const wasm = (await loadWasm()).callRaw;
const wasmScore = (await loadWasm({ variant: 'score' })).callRaw;
// The score variant's own op table, as its `ops` op lists it.
const scoreOps = new Set(JSON.parse(wasmScore('ops', '{}')).ops.map((o) => o.name));
const wasi = (await loadWasi()).callRaw;
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));

// Peers doing the same primitive on the same bytes (no JSON): what a user would otherwise call.
function peers(c) {
  const i = c.input;
  switch (c.op) {
    case 'crypto.sha256': {
      const d = hex(i.data_hex);
      return { 'node:crypto': () => createHash('sha256').update(d).digest() };
    }
    case 'crypto.hmac_sha256': {
      const m = hex(i.message_hex);
      return { 'node:crypto': () => createHmac('sha256', i.key_text).update(m).digest() };
    }
    case 'crypto.ed25519_sign': {
      const seed = hex(i.seed_hex), m = hex(i.message_hex);
      const kp = nacl.sign.keyPair.fromSeed(seed);
      return { '@noble/ed25519': () => noble.sign(m, seed), tweetnacl: () => nacl.sign.detached(m, kp.secretKey) };
    }
    case 'crypto.ed25519_verify': {
      const pk = hex(i.public_key_hex), s = hex(i.signature_hex), m = hex(i.message_hex);
      return { '@noble/ed25519': () => noble.verify(s, m, pk), tweetnacl: () => nacl.sign.detached.verify(m, s, pk) };
    }
    default:
      return {};
  }
}

// @noble/ed25519 v3 needs a sync SHA-512 for its sync API.
noble.hashes.sha512 = (m) => new Uint8Array(createHash('sha512').update(m).digest());

const fmt = (ns) => (ns === undefined ? '—' : ns >= 1e5 ? `${(ns / 1e3).toFixed(0)} µs` : `${(ns / 1e3).toFixed(2)} µs`);
const ratio = (ns, ref) => (ns === undefined || ref === undefined ? '—' : `${(ns / ref).toFixed(2)}×`);
const rows = [];
for (const c of cases) {
  const text = JSON.stringify(c.input);
  const inScore = scoreOps.has(c.op);
  const fns = { wasm: () => wasm(c.op, text), ...(inScore && { wasmScore: () => wasmScore(c.op, text) }), wasi: () => wasi(c.op, text), ...peers(c) };
  const t = Object.fromEntries(['native', ...Object.keys(fns)].map((k) => [k, []]));
  for (const fn of Object.values(fns)) timePerCall(fn, budgetMs / rounds / 2);  // tier-up (Liftoff to TurboFan) before any timing
  for (let i = 0; i < rounds; i++) {
    t.native.push(nativeTime(c.name));
    for (const [k, fn] of Object.entries(fns)) t[k].push(timePerCall(fn, budgetMs / rounds));
  }
  const { native: n, wasm: w, wasmScore: ws, wasi: v, ...p } = Object.fromEntries(Object.entries(t).map(([k, xs]) => [k, xs.includes(undefined) ? undefined : median(xs)]));
  rows.push({ name: c.name, native: n, wasm: w, wasmScore: ws, wasi: v, peers: p });
}

console.log(`\nTime per call (lower is better; medians of ${rounds} rounds); ratios are to the native facade call in the same run.\n`);
console.log('| call | native | wasm (Emscripten, full) | wasm score variant | wasi (reactor) | peers in this Node process |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const peerText = Object.entries(r.peers).map(([k, ns]) => `${k} ${fmt(ns)} (${ratio(ns, r.wasm)} of wasm)`).join('; ') || '—';
  const score = r.wasmScore === undefined ? '— (not in it)' : `${fmt(r.wasmScore)} (${ratio(r.wasmScore, r.native)})`;
  console.log(`| ${r.name} | ${fmt(r.native)} | ${fmt(r.wasm)} (${ratio(r.wasm, r.native)}) | ${score} | ${fmt(r.wasi)} (${ratio(r.wasi, r.native)}) | ${peerText} |`);
}
if (rows.some((r) => r.native === undefined)) console.log('\n(native numbers missing: build dist/native/flk_bench first)');
