/** The WASI preview1 imports the reactor needs, backed by Web Crypto and the console. */
export function wasiImports(getMemory: () => WebAssembly.Memory): Record<string, (...args: number[]) => number>;
/** Instantiates a compiled dist/wasi/flk-reactor.wasm; returns callRaw(op, inputJson) -> outputJson. */
export function instantiateReactor(module: WebAssembly.Module): (op: string, inputJson: string) => string;
/** The C ABI's exports (core/facade/host_abi.cc) as callRaw / elementaryF64; a failed flk_alloc is FlkError out_of_memory. */
export function reactorCore(exports: WebAssembly.Exports): {
  callRaw(op: string | Uint8Array, input: string | Uint8Array): string;
  elementaryF64(fn: string, xs: ArrayLike<number>, out: Float64Array): Float64Array;
};
