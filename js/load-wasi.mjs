// Node: loads the WASI reactor from the package's files (or options.wasiBinary / wasiModule).
import { fileURLToPath } from 'node:url';
import { compileArtefact } from './compile.mjs';
import { readArtefact } from './load-wasm.mjs';
import { startReactor } from './wasi-host.mjs';

const reactorUrl = new URL('../dist/wasi/flk-reactor.wasm', import.meta.url);

export async function loadWasi(options = {}) {
  if (options.wasiModule) return startReactor(options.wasiModule);
  const bytes = options.wasiBinary ?? (await readArtefact(reactorUrl, 'wasiBinary'));
  return startReactor(await compileArtefact(bytes, options.wasiBinary ? 'options.wasiBinary' : fileURLToPath(reactorUrl)));
}
