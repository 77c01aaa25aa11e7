import type { Ops, OpName, OpHelpers } from './ops.js';

export type { Ops, OpName, OpHelpers };

export interface CreateFlkOptions {
  /**
   * 'wasm' (the Emscripten build, the default in browsers: its full variant compiled for speed,
   * its score and verify variants for size) or 'wasi' (the WASI reactor through a built-in shim,
   * speed-optimised: the default in Node and the only engine in Workers). Both give the same bytes.
   */
  engine?: 'wasm' | 'wasi';
  /**
   * 'full' (default): every op. Engine 'wasm' only: 'score' (dist/wasm/flk-score.wasm), the
   * module without cost.*, anomaly.*, compliance.* and the training ops (hrs.train, hrs.eval,
   * ensemble.eval), for pages that score, sign and verify (under 250 KB gzipped, plus the model
   * and WordNet files); 'verify' (dist/wasm/flk-verify.wasm), also without hrs.* and ensemble.*
   * (and without those files), for pages that only sign, verify and route.
   */
  variant?: 'full' | 'score' | 'verify';
  /** Bytes of dist/wasm/flk.wasm (or flk-verify.wasm); read from the package in Node when omitted. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Browsers: the URL of 'flk.wasm', 'flk-verify.wasm', 'flk-reactor.wasm', 'hrs-default-model.json.gz' or 'hrs-wordnet.txt.gz' when it is not served next to the package's JS. */
  locateFile?: (path: string, prefix: string) => string;
  /**
   * Engine 'wasm', variant 'full': the default HRS model, which that build loads from a file beside
   * it (dist/wasm/hrs-default-model.json.gz, fetched or read while the module compiles, one fetch per
   * URL). Give the file's bytes (gzip or the JSON text) to skip the fetch, or false to go without:
   * the ops that need the model then throw FlkError 'model_unavailable', as they do when the file
   * could not be fetched. locateFile('hrs-default-model.json.gz') also says where it is.
   */
  hrsModel?: ArrayBuffer | Uint8Array | false;
  /**
   * Engine 'wasm', variants 'full' and 'score': the WordNet table the HRS features look words up in,
   * a file beside the build like the model (dist/wasm/hrs-wordnet.txt.gz, fetched or read with it).
   * The file's bytes (gzip or the text) skip the fetch; false goes without: then every op that
   * computes HRS features (hrs.*, ensemble.verify, …) throws FlkError 'model_unavailable'.
   * locateFile('hrs-wordnet.txt.gz') also says where it is.
   */
  hrsWordnet?: ArrayBuffer | Uint8Array | false;
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

/** math.elementary's function names. */
export type ElementaryFn = Ops['math.elementary']['input']['fn'];

/**
 * Typed fast paths: arrays of numbers cross into the core as raw float64, with no JSON either
 * way. Same core code and bit-identical results as the JSON op; where the op answers null
 * (outside the domain) these give NaN or ±Infinity. Errors are the op's (FlkError out_of_range
 * at $.fn, too_large at $.x over 2^20 numbers).
 */
export interface FastPaths {
  /** math.elementary: out[i] = fn(x[i]); returns out (a new Float64Array unless given). */
  elementary(fn: ElementaryFn, x: Float64Array | ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** The areas the 'verify' variant leaves out. */
export type FullOnlyArea = 'hrs' | 'cost' | 'anomaly' | 'compliance' | 'ensemble' | 'policy' | 'canary';
/** The ops of the 'verify' variant (gate.decide runs the ensemble and policies: full only). */
export type VerifyOpName = Exclude<OpName, `${FullOnlyArea}.${string}` | 'gate.decide'>;

interface FlkBase<Name extends OpName> {
  readonly engine: 'wasm' | 'wasi';
  readonly fast: FastPaths;
  /** Calls an op with a plain object; throws FlkError on a typed error. */
  call<K extends Name>(op: K, input: Ops[K]['input']): Ops[K]['output'];
  /**
   * The raw JSON-in/JSON-out facade: never throws for typed errors, returns {"error":...} text.
   * The input is text, or bytes (Uint8Array / ArrayBuffer) handed to the core as they are; text
   * with an unpaired surrogate is not Unicode and answers bad_json. Throws FlkError
   * engine_trapped when the engine traps (that instance is then discarded: createFlk() gives a
   * fresh one) and out_of_memory when the input cannot be copied into the engine.
   */
  callJson(op: string, inputJson: string | Uint8Array | ArrayBuffer): string;
}

/** The ensemble gate (docs/ensemble.md): voters, failure modes, N-of-M or the stacker, one decision. */
export type VerifyRequest = Ops['ensemble.verify']['input'];
export type VerifyDecision = Ops['ensemble.verify']['output'];

export type Flk = OpHelpers &
  FlkBase<OpName> & {
    readonly variant: 'full';
    /** ensemble.verify: accept / escalate / reject with every voter's status, score and contribution. */
    verify(input: VerifyRequest): VerifyDecision;
  };
export type FlkVerify = Omit<OpHelpers, FullOnlyArea | 'gate'> & {
  readonly gate: Omit<OpHelpers['gate'], 'decide'>;
} & FlkBase<VerifyOpName> & { readonly variant: 'verify' };

/** The ops the 'score' variant leaves out besides the cost, anomaly, compliance, policy and canary areas: fitting and measuring, and the gate's decision. */
export type TrainingOpName = 'hrs.train' | 'hrs.eval' | 'ensemble.eval';
/** The ops of the 'score' variant. */
export type ScoreOpName = Exclude<OpName, `${'cost' | 'anomaly' | 'compliance' | 'policy' | 'canary'}.${string}` | TrainingOpName | 'gate.decide'>;
export type FlkScore = Omit<OpHelpers, 'cost' | 'anomaly' | 'compliance' | 'policy' | 'canary' | 'hrs' | 'ensemble' | 'gate'> & {
  readonly hrs: Omit<OpHelpers['hrs'], 'train' | 'eval'>;
  readonly ensemble: Omit<OpHelpers['ensemble'], 'eval'>;
  readonly gate: Omit<OpHelpers['gate'], 'decide'>;
} & FlkBase<ScoreOpName> & {
    readonly variant: 'score';
    /** ensemble.verify, as on Flk. */
    verify(input: VerifyRequest): VerifyDecision;
  };

/**
 * Loads the core once per engine (memoised unless custom loading options are given). The
 * package's export conditions pick the loader: node (files), browser (fetch), workerd/worker
 * (the reactor imported as a compiled module; engine 'wasi' only).
 */
export function createFlk(options: CreateFlkOptions & { variant: 'verify' }): Promise<FlkVerify>;
export function createFlk(options: CreateFlkOptions & { variant: 'score' }): Promise<FlkScore>;
export function createFlk(options?: CreateFlkOptions & { variant?: 'full' }): Promise<Flk>;
