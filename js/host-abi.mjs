// Shared by the WASI reactor's host (wasi-host.mjs) and the Emscripten build's start
// (start-wasm.mjs); a file apart from the WASI imports, which a page running the Emscripten build
// does not download.
import { fastError, FAST_UNKNOWN_FN, outOfMemory } from './flk.mjs';

// The C ABI of core/facade/host_abi.cc (the WASI reactor's exports, or the Emscripten build's)
// as { callRaw, batchLine, elementaryF64, withBytes }. op and input are text or bytes (Uint8Array), copied into one
// buffer from flk_alloc; text up to 1 MiB is encoded straight into it (a buffer of 3 bytes per
// UTF-16 unit, the most UTF-8 can need), longer text is encoded first so the buffer is exact. A
// buffer it cannot allocate is FlkError out_of_memory. Pointers are unsigned (>>> 0): wasm32
// addresses reach 4 GiB.
// The buffer is kept between calls while it is at most KEEP bytes (a larger one is freed after
// its call); the host holds one view of the memory (made again when growth detaches it), and
// callRaw the bytes of the op names it has seen: a small call's time outside the core was
// about 0.4 µs, a sixth of sha256 64 B in the WASI reactor (docs/edge.md, "Session 14: the WASI
// small rows").
const DIRECT_TEXT = 1 << 20;
const KEEP = 1 << 16;
const OP_NAMES = 256;
export function reactorCore({ flk_alloc, flk_free, flk_call, flk_batch_line, flk_output_ptr, flk_output_len, flk_f64_scratch, flk_elementary_f64, memory }) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let heap = new Uint8Array(0);
  // A detached view has length 0, and the memory is never empty.
  const view = () => (heap.length === 0 ? (heap = new Uint8Array(memory.buffer)) : heap);
  const asBytes = (x) => (typeof x === 'string' && x.length > DIRECT_TEXT ? encoder.encode(x) : x);
  const room = (x) => (typeof x === 'string' ? 3 * x.length : x.length);
  const write = (x, at, end) => {
    const h = view();
    if (typeof x === 'string') return encoder.encodeInto(x, h.subarray(at, end)).written;
    h.set(x, at);
    return x.length;
  };
  const alloc = (n, what) => {
    const p = flk_alloc(n) >>> 0;
    if (p === 0) throw outOfMemory(`${n} bytes for the ${what}`);
    return p;
  };
  let kept = 0, keptSize = 0;
  // A buffer of at least size bytes: the kept one, grown if need be, or one of its own past KEEP.
  const buffer = (size, what) => {
    if (size <= keptSize) return kept;
    if (size > KEEP) return alloc(size, what);
    const p = alloc(Math.max(size, 1024), what);
    if (kept) flk_free(kept);
    kept = p;
    keptSize = Math.max(size, 1024);
    return p;
  };
  const release = (p) => p !== kept && flk_free(p);
  // a and b copied into one buffer, fn(aPtr, aLen, bPtr, bLen) called, the buffer released.
  const withBytes = (what, a, b, fn) => {
    const x = asBytes(a), y = asBytes(b);
    const xRoom = room(x);
    const size = xRoom + room(y);
    const p = buffer(size, what);
    try {
      const xLen = write(x, p, p + xRoom);
      return fn(p, xLen, p + xLen, write(y, p + xLen, p + size));
    } finally {
      release(p);
    }
  };
  const opBytes = new Map();
  const opName = (op) => {
    if (typeof op !== 'string') return op;
    let b = opBytes.get(op);
    if (b === undefined) {
      b = encoder.encode(op);
      if (opBytes.size < OP_NAMES) opBytes.set(op, b);
    }
    return b;
  };
  const output = () => {
    const p = flk_output_ptr() >>> 0;
    return decoder.decode(view().subarray(p, p + (flk_output_len() >>> 0)));
  };
  const fnNames = new Map(); // fn name -> [ptr, len], allocated once
  return {
    withBytes,
    callRaw(op, input) {
      return withBytes('op name and input', opName(op), input, (o, oLen, i, iLen) => {
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
