// createFlk for one runtime, given that runtime's loaders { engine: async (options) => core }.
// Memoised per engine (unless loading options are given), so concurrent callers share one
// instance; a failed load is forgotten so that a later call can retry.
import { makeFlk } from './flk.mjs';

export function makeCreateFlk(loaders, defaultEngine, runtime) {
  const cache = new Map();
  return function createFlk(options = {}) {
    const engine = options.engine ?? defaultEngine;
    const load = Object.hasOwn(loaders, engine) ? loaders[engine] : undefined;
    if (!load) {
      const known = Object.keys(loaders).join(' or ');
      return Promise.reject(new TypeError(`fractal-lba: engine "${engine}" is not available in ${runtime} (use ${known})`));
    }
    const custom = Object.keys(options).some((k) => k !== 'engine');
    if (!custom && cache.has(engine)) return cache.get(engine);
    const p = load(options).then((core) => makeFlk(core, engine));
    if (!custom) {
      cache.set(engine, p);
      p.catch(() => cache.delete(engine));
    }
    return p;
  };
}
