import type { Ops, OpName, OpHelpers } from './ops.js';

export type { Ops, OpName, OpHelpers };

export interface CreateFlkOptions {
  /** 'wasm' (Emscripten build, default) or 'wasi' (the WASI reactor through a built-in shim). */
  engine?: 'wasm' | 'wasi';
  /** Bytes of dist/wasm/flk.wasm (engine 'wasm'); read from the package in Node when omitted. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where the Emscripten glue finds flk.wasm in a browser (engine 'wasm'). */
  locateFile?: (path: string, prefix: string) => string;
  /** Bytes of dist/wasi/flk-reactor.wasm (engine 'wasi'). */
  wasiBinary?: ArrayBuffer | Uint8Array;
  /** An already compiled reactor module, e.g. `import m from 'fractal-lba/flk-reactor.wasm'` in a Worker. */
  wasiModule?: WebAssembly.Module;
}

/** A typed error answer of the core: code is a stable snake_case identifier. */
export class FlkError extends Error {
  readonly name: 'FlkError';
  readonly code: string;
  /** Where in the input, e.g. "$.N_j.8" */
  readonly path?: string;
}

export type Flk = OpHelpers & {
  readonly engine: 'wasm' | 'wasi';
  /** Calls an op with a plain object; throws FlkError on a typed error. */
  call<K extends OpName>(op: K, input: Ops[K]['input']): Ops[K]['output'];
  /** The raw JSON-in/JSON-out facade: never throws for typed errors, returns {"error":...} text. */
  callJson(op: string, inputJson: string): string;
};

/** Loads the core once per engine (memoised unless custom loading options are given). */
export function createFlk(options?: CreateFlkOptions): Promise<Flk>;
