// Every facade op through Engine::call. Input: the op name, a newline, the JSON input (the seed
// corpus is generated from tests/golden/*.json by make_corpus.py). Properties: no crash, and
// every answer, result or error, is canonical JSON (parses and writes back to the same bytes).
// All inputs share one engine, as requests share a server thread's engine: a fresh engine per
// input would spend its time reloading the default models. LLVMFuzzerInitialize calls every op
// once, so what an engine loads on first use is loaded before the 1 s timeout applies. A finding
// may depend on the inputs before it: replay its file alone first, then after the corpus.
#include <string_view>

#include "check.h"
#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"

namespace {

flk::Engine& engine() {
  static flk::Engine e;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto ops = flk::json::parse(engine().call("ops", "{}").json);
  FUZZ_CHECK(ops.ok());
  for (const auto& op : ops->find("ops")->as_array()) engine().call(op.find("name")->as_string(), "{}");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  flk::CallOutput out = engine().call(in.substr(0, nl), in.substr(nl + 1));
  auto parsed = flk::json::parse(out.json);
  FUZZ_CHECK(parsed.ok());
  FUZZ_CHECK(parsed.value().is_object());
  FUZZ_CHECK(out.ok == !parsed.value().find("error"));
  FUZZ_CHECK(flk::json::to_string(parsed.value()) == out.json);
  return 0;
}
