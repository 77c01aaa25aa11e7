// Compiles wasm bytes with an error that says which artefact was broken.
export async function compileArtefact(bytes, what) {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new Error(`fractal-lba: ${what} is not a valid WebAssembly module (${e.message})`, { cause: e });
  }
}
