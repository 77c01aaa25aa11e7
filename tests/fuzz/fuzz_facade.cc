// Every facade op through Engine::call. Input: the op name, a newline, the JSON input (the seed
// corpus is generated from tests/golden/*.json by make_corpus.py). Properties: no crash, and
// every answer, result or error, is canonical JSON (parses and writes back to the same bytes).
// Inputs share an engine, as requests share a server thread's engine, because a fresh one reloads
// the default HRS model (tens of ms); a new engine every kCallsPerEngine calls bounds the state
// that stateful ops accumulate. So a finding may depend on the inputs before it: replay its file
// alone first, then after the corpus.
#include <memory>
#include <string_view>

#include "check.h"
#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  constexpr int kCallsPerEngine = 256;
  static std::unique_ptr<flk::Engine> engine;
  static int calls = 0;
  if (calls++ % kCallsPerEngine == 0) engine = std::make_unique<flk::Engine>();
  flk::CallOutput out = engine->call(in.substr(0, nl), in.substr(nl + 1));
  auto parsed = flk::json::parse(out.json);
  FUZZ_CHECK(parsed.ok());
  FUZZ_CHECK(parsed.value().is_object());
  FUZZ_CHECK(out.ok == !parsed.value().find("error"));
  FUZZ_CHECK(flk::json::to_string(parsed.value()) == out.json);
  return 0;
}
