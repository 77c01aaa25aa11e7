// Typed fast paths for the wasm hosts: numbers cross as raw float64 in a scratch buffer in
// the module's memory, with no JSON text either way. Each runs the same core function as its
// JSON op (bit-identical results; non-finite results stay NaN/Infinity where JSON says null).
// Exported by core/facade/host_abi.cc (the C ABI of the WASI reactor and the Emscripten build);
// js/fast.mjs wraps it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flk::fast {

enum Status : int32_t { kOk = 0, kUnknownFn = 1, kTooLarge = 2 };

// A buffer of at least n doubles, valid until the next call (it may move when it grows).
double* f64_scratch(size_t n);

// math.elementary over the first n doubles of the scratch buffer, in place.
Status elementary_f64(std::string_view fn, size_t n);

}  // namespace flk::fast
