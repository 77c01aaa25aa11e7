// Node: loads the Emscripten build from the package's files (or options.wasmBinary).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compileArtefact } from './compile.mjs';
import { startWasm } from './start-wasm.mjs';

const wasmUrl = new URL('../dist/wasm/flk.wasm', import.meta.url);

export async function readArtefact(url, option) {
  const path = fileURLToPath(url);
  try {
    return await readFile(path);
  } catch (e) {
    throw new Error(
      `fractal-lba: cannot read ${path} (${e.code ?? e.message}); the package is incomplete or was not built ` +
        `(npm run build), or pass { ${option} } to createFlk`,
      { cause: e },
    );
  }
}

export async function loadWasm(options = {}) {
  const bytes = options.wasmBinary ?? (await readArtefact(wasmUrl, 'wasmBinary'));
  return startWasm(await compileArtefact(bytes, options.wasmBinary ? 'options.wasmBinary' : fileURLToPath(wasmUrl)));
}
