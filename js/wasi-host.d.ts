/** The WASI preview1 imports the reactor needs, backed by Web Crypto and the console. */
export function wasiImports(getMemory: () => WebAssembly.Memory): Record<string, (...args: number[]) => number>;
/** Instantiates a compiled dist/wasi/flk-reactor.wasm; returns callRaw(op, inputJson) -> outputJson. */
export function instantiateReactor(module: WebAssembly.Module): (op: string, inputJson: string) => string;
