// A minimal WASI preview1 host for the reactor module dist/wasi/flk-reactor.wasm, enough for
// Workers, browsers and Node alike (no node:wasi needed): random_get from Web Crypto,
// fd_write to the console, everything else answers "not supported".
import { reactorCore } from './host-abi.mjs';

export { reactorCore };

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

// The reactor's raw entry point: callRaw(op, inputJson) -> outputJson.
export function instantiateReactor(module) {
  return startReactor(module).callRaw;
}
