// The facade behind a tiny C ABI, for JavaScript hosts of the WASI reactor module
// (dist/wasi/flk-reactor.wasm: Cloudflare Workers, Fastly, browsers, node:wasi) and of the
// Emscripten build (js/wasi-host.mjs reactorCore drives both). The host
//   1. calls _initialize once (WASI; the Emscripten glue starts its module itself),
//   2. copies op and input bytes into buffers from flk_alloc,
//   3. calls flk_call(op, op_len, input, input_len) -> 0 ok / 1 typed error,
//   4. reads flk_output_len() bytes at flk_output_ptr(), then flk_free()s its buffers (or keeps
//      one for the next call).
// The output stays valid until the next flk_call or flk_batch_line.
// flk_batch_line(line, len) answers one line of the batch protocol (facade/batch.h) the same way.
// Typed fast path (facade/fast_path.h): flk_f64_scratch(n) gives a buffer of n doubles for the
// host to fill; flk_elementary_f64(fn, fn_len, n) works on it in place -> 0 ok, 1 unknown fn,
// 2 too large.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "facade/host_abi.h"

#include "facade/batch.h"
#include "facade/fast_path.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define FLK_EXPORT(name) extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define FLK_EXPORT(name) extern "C" __attribute__((export_name(name)))
#endif

flk::Engine& flk::host_engine() {
  static flk::Engine e;
  return e;
}

namespace {
std::string g_output;
}  // namespace

FLK_EXPORT("flk_alloc") void* flk_alloc(uint32_t n) { return std::malloc(n ? n : 1); }
FLK_EXPORT("flk_free") void flk_free(void* p) { std::free(p); }

FLK_EXPORT("flk_call") int32_t flk_call(const char* op, uint32_t op_len, const char* in, uint32_t in_len) {
  flk::CallOutput out = flk::host_engine().call(std::string_view(op, op_len), std::string_view(in, in_len));
  g_output = std::move(out.json);
  return out.ok ? 0 : 1;
}

FLK_EXPORT("flk_batch_line") void flk_batch_line(const char* line, uint32_t len) {
  g_output = flk::batch_line(flk::host_engine(), std::string_view(line, len)).json;
}

FLK_EXPORT("flk_output_ptr") const char* flk_output_ptr() { return g_output.data(); }
FLK_EXPORT("flk_output_len") uint32_t flk_output_len() { return static_cast<uint32_t>(g_output.size()); }

FLK_EXPORT("flk_f64_scratch") double* flk_f64_scratch(uint32_t n) { return flk::fast::f64_scratch(n); }
FLK_EXPORT("flk_elementary_f64") int32_t flk_elementary_f64(const char* fn, uint32_t fn_len, uint32_t n) {
  return flk::fast::elementary_f64(std::string_view(fn, fn_len), n);
}
