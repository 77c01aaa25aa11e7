// Shared by the WASI reactor's host (wasi-host.mjs) and the Emscripten build's start
// (start-wasm.mjs); a file apart from the WASI imports, which a page running the Emscripten build
// does not download.
import { fastError, FAST_UNKNOWN_FN, outOfMemory } from './flk.mjs';

// The C ABI of core/facade/host_abi.cc (the WASI reactor's exports, or the Emscripten build's)
// as { callRaw, batchLine, elementaryF64, withBytes }. op and input are text or bytes (Uint8Array), copied into one
// buffer from flk_alloc; text up to 1 MiB is encoded straight into it (a buffer of 3 bytes per
// UTF-16 unit, the most UTF-8 can need), longer text is encoded first so the buffer is exact. A
// buffer it cannot allocate is FlkError out_of_memory. memory is read at every use: it grows.
// Pointers are unsigned (>>> 0): wasm32 addresses reach 4 GiB.
const DIRECT_TEXT = 1 << 20;
export function reactorCore({ flk_alloc, flk_free, flk_call, flk_batch_line, flk_output_ptr, flk_output_len, flk_f64_scratch, flk_elementary_f64, memory }) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const asBytes = (x) => (typeof x === 'string' && x.length > DIRECT_TEXT ? encoder.encode(x) : x);
  const room = (x) => (typeof x === 'string' ? 3 * x.length : x.length);
  const write = (x, at, end) => {
    const heap = new Uint8Array(memory.buffer, at, end - at);
    if (typeof x === 'string') return encoder.encodeInto(x, heap).written;
    heap.set(x);
    return x.length;
  };
  const alloc = (n, what) => {
    const p = flk_alloc(n) >>> 0;
    if (p === 0) throw outOfMemory(`${n} bytes for the ${what}`);
    return p;
  };
  // a and b copied into one buffer, fn(aPtr, aLen, bPtr, bLen) called, the buffer freed.
  const withBytes = (what, a, b, fn) => {
    const x = asBytes(a), y = asBytes(b);
    const xRoom = room(x);
    const size = xRoom + room(y);
    const p = alloc(size, what);
    try {
      const xLen = write(x, p, p + xRoom);
      return fn(p, xLen, p + xLen, write(y, p + xLen, p + size));
    } finally {
      flk_free(p);
    }
  };
  const output = () => decoder.decode(new Uint8Array(memory.buffer, flk_output_ptr() >>> 0, flk_output_len() >>> 0));
  const fnNames = new Map(); // fn name -> [ptr, len], allocated once
  return {
    withBytes,
    callRaw(op, input) {
      return withBytes('op name and input', op, input, (o, oLen, i, iLen) => {
        flk_call(o, oLen, i, iLen);
        return output();
      });
    },
    batchLine(line) {
      return withBytes('batch line', line, '', (l, lLen) => {
        flk_batch_line(l, lLen);
        return output();
      });
    },
    elementaryF64(fn, xs, out) {
      const n = xs.length;
      let name = fnNames.get(fn);
      const known = name !== undefined;
      if (!known) {
        const b = encoder.encode(fn);
        const p = alloc(b.length, 'function name');
        name = [p, write(b, p, p + b.length)];
      }
      const p = flk_f64_scratch(n) >>> 0;
      new Float64Array(memory.buffer, p, n).set(xs);
      const status = flk_elementary_f64(name[0], name[1], n);
      if (!known) status === FAST_UNKNOWN_FN ? flk_free(name[0]) : fnNames.set(fn, name);
      fastError(status, fn);
      out.set(new Float64Array(memory.buffer, p, n));
      return out;
    },
  };
}
