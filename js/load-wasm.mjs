// Node: loads the Emscripten build from the package's files (or options.wasmBinary).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { compileArtefact } from './compile.mjs';
import { scorerData } from './default-model.mjs';
import { startWasm, wasmFile } from './start-wasm.mjs';

const inflateAsync = promisify(gunzip);

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

// options.variant: 'full' (default), 'score' or 'verify' (dist/wasm/flk-score.*, flk-verify.*).
export async function loadWasm(options = {}) {
  const variant = options.variant ?? 'full';
  const url = new URL(`../dist/wasm/${wasmFile[variant]}`, import.meta.url);
  const read = (file, option) => readArtefact(new URL(`../dist/wasm/${file}`, import.meta.url), option);
  // node:zlib: Node's DecompressionStream costs a fresh process 30-60 ms on first use.
  const data = scorerData(options, variant, read, (bytes, max) => inflateAsync(bytes, { maxOutputLength: max }));
  const bytes = options.wasmBinary ?? (await readArtefact(url, 'wasmBinary'));
  const module = await compileArtefact(bytes, options.wasmBinary ? 'options.wasmBinary' : fileURLToPath(url));
  return startWasm(module, {}, variant, await data);
}
