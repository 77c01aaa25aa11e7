// A minimal WASI preview1 host for the reactor module dist/wasi/flk-reactor.wasm, enough for
// Workers, browsers and Node alike (no node:wasi needed): random_get from Web Crypto,
// fd_write to the console, everything else answers "not supported".
import { fastError, FAST_UNKNOWN_FN, outOfMemory } from './flk.mjs';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

export function wasiImports(getMemory) {
  const view = () => new DataView(getMemory().buffer);
  const decoder = new TextDecoder();
  const pending = { 1: '', 2: '' };
  return {
    random_get(ptr, len) {
      const bytes = new Uint8Array(getMemory().buffer, ptr, len);
      for (let i = 0; i < len; i += 65536) globalThis.crypto.getRandomValues(bytes.subarray(i, Math.min(len, i + 65536)));
      return ERRNO_SUCCESS;
    },
    fd_write(fd, iovs, iovsLen, nwritten) {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const dv = view();
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const p = dv.getUint32(iovs + i * 8, true);
        const n = dv.getUint32(iovs + i * 8 + 4, true);
        pending[fd] += decoder.decode(new Uint8Array(getMemory().buffer, p, n));
        total += n;
      }
      let nl;
      while ((nl = pending[fd].indexOf('\n')) >= 0) {
        (fd === 1 ? console.log : console.error)(pending[fd].slice(0, nl));
        pending[fd] = pending[fd].slice(nl + 1);
      }
      dv.setUint32(nwritten, total, true);
      return ERRNO_SUCCESS;
    },
    fd_close: () => ERRNO_SUCCESS,
    fd_seek: () => ERRNO_BADF,
    fd_fdstat_get: () => ERRNO_BADF,
    poll_oneoff: () => ERRNO_NOSYS,
    clock_time_get(_id, _precision, out) {
      view().setBigUint64(out, BigInt(Date.now()) * 1000000n, true);
      return ERRNO_SUCCESS;
    },
    proc_exit(code) {
      throw new Error(`fractal-lba: the WASI module exited with code ${code}`);
    },
  };
}

// Instantiates a compiled reactor module: { callRaw(op, input) -> outputJson,
// elementaryF64(fn, xs, out) -> out } (the typed fast path of facade/fast_path.h).
export function startReactor(module) {
  if (!(module instanceof WebAssembly.Module))
    throw new TypeError('fractal-lba: expected a compiled WebAssembly.Module of flk-reactor.wasm (check how your bundler imports .wasm files)');
  let instance;
  const wasi = wasiImports(() => instance.exports.memory);
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || !(imp.name in wasi))
      throw new Error(`fractal-lba: the WASI module needs an import this host lacks: ${imp.module}.${imp.name}`);
  }
  instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
  instance.exports._initialize();
  return reactorCore(instance.exports);
}

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

// The reactor's raw entry point: callRaw(op, inputJson) -> outputJson.
export function instantiateReactor(module) {
  return startReactor(module).callRaw;
}
