import type { Ops, OpName, OpHelpers } from './ops.js';
import type { CreateFlkOptions, ElementaryFn, FlkError, VerifyDecision, VerifyRequest } from './index.js';

export { FlkError };

/** Every op helper of OpHelpers, answering with a promise. */
export type AsyncHelpers<T> = {
  readonly [K in keyof T]: T[K] extends (input: infer I) => infer R ? (input?: I) => Promise<R> : AsyncHelpers<T[K]>;
};

/** The options createFlk can post to the worker (no functions, no compiled modules). */
export type WorkerFlkOptions = Pick<CreateFlkOptions, 'engine' | 'variant' | 'wasmBinary' | 'wasiBinary' | 'hrsModel' | 'hrsWordnet'>;

/** The engine in a Web Worker: the API of Flk with promises, and terminate(). */
export type FlkWorker = AsyncHelpers<OpHelpers> & {
  readonly engine: 'wasm' | 'wasi';
  readonly variant: 'full' | 'score' | 'verify';
  call<K extends OpName>(op: K, input: Ops[K]['input']): Promise<Ops[K]['output']>;
  callJson(op: string, inputJson: string | Uint8Array | ArrayBuffer): Promise<string>;
  readonly fast: { elementary(fn: ElementaryFn, x: Float64Array | ArrayLike<number>): Promise<Float64Array> };
  /** ensemble.verify (not in the 'verify' variant). */
  verify(input: VerifyRequest): Promise<VerifyDecision>;
  /** Stops the worker; pending and later calls reject. */
  terminate(): void;
};

/** Starts a Web Worker that loads the engine (browser loaders) and answers calls by message. */
export function createFlk(options?: WorkerFlkOptions): Promise<FlkWorker>;
