// createFlk for one runtime, given that runtime's loaders { 'engine' | 'engine/variant': async
// (options) => core }. Memoised per engine and variant (unless loading options are given), so
// concurrent callers share one instance; a failed load, and an instance whose engine trapped,
// are forgotten so that a later call gets a fresh one.
import { makeFlk } from './flk.mjs';

const LOADING_OPTIONS = ['wasmBinary', 'wasiBinary', 'wasiModule', 'locateFile', 'hrsModel', 'hrsWordnet'];

// defaultEngine: the runtime's best engine for the full module; a variant other than 'full'
// exists only for 'wasm' (the browser build), so that is its default.
export function makeCreateFlk(loaders, defaultEngine, runtime) {
  const cache = new Map();
  return function createFlk(options = {}) {
    const variant = options.variant ?? 'full';
    const engine = options.engine ?? (variant === 'full' ? defaultEngine : 'wasm');
    const key = variant === 'full' ? engine : `${engine}/${variant}`;
    const load = Object.hasOwn(loaders, key) ? loaders[key] : undefined;
    if (!load) {
      const keys = Object.keys(loaders);
      const engines = keys.filter((k) => !k.includes('/')).map((k) => `'${k}'`);
      const variants = keys.filter((k) => k.startsWith('wasm/')).map((k) => `'${k.slice(5)}'`);
      const use = engines.join(' or ') + (variants.length ? `; variant ${variants.join(' or ')} with engine 'wasm'` : '');
      const what = variant === 'full' ? `engine "${engine}"` : `engine "${engine}" with variant "${variant}"`;
      return Promise.reject(new TypeError(`fractal-lba: ${what} is not available in ${runtime} (use ${use})`));
    }
    const custom = LOADING_OPTIONS.some((k) => options[k] !== undefined);
    if (!custom && cache.has(key)) return cache.get(key);
    const forget = () => {
      if (cache.get(key) === p) cache.delete(key);
    };
    const p = load(options).then((core) => makeFlk(core, engine, variant, forget));
    if (!custom) {
      cache.set(key, p);
      p.catch(forget);
    }
    return p;
  };
}
