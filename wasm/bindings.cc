// Embind bindings of the facade for the Emscripten build (dist/wasm/flk.mjs + flk.wasm).
// call(op, inputJson) -> outputJson, batchLine(line) for the shared line protocol, and the typed
// fast path (facade/fast_path.h). js/ parses the output and turns {"error":{...}} into a thrown
// FlkError.
#include <emscripten/bind.h>

#include <string>

#include "facade/batch.h"
#include "facade/fast_path.h"
#ifndef FLK_OPS_VERIFY_ONLY
#include "facade/hrs_registry.h"
#include "hrs/wordnet.h"
#endif

namespace {

flk::Engine& engine() {
  static flk::Engine e;
  return e;
}

std::string call(const std::string& op, const std::string& input) { return engine().call(op, input).json; }
std::string batch_line(const std::string& line) { return flk::batch_line(engine(), line).json; }

// The typed fast path (js/fast.mjs): a Float64Array view of the scratch buffer, filled by JS.
emscripten::val f64_scratch(size_t n) {
  return emscripten::val(emscripten::typed_memory_view(n, flk::fast::f64_scratch(n)));
}
int elementary_f64(const std::string& fn, size_t n) { return flk::fast::elementary_f64(fn, n); }

#ifndef FLK_OPS_VERIFY_ONLY
// The default HRS model file's bytes (hrs-default-model.json.gz), or why the loader has none.
void set_default_model(const std::string& gz, const std::string& unavailable) {
  flk::hrs_io::provide_default_model(engine(), gz, unavailable);
}
// The WordNet table file's bytes (hrs-wordnet.txt.gz), or why the loader has none.
void set_wordnet(const std::string& gz, const std::string& unavailable) { flk::hrs::provide_wordnet(gz, unavailable); }
#endif

}  // namespace

EMSCRIPTEN_BINDINGS(flk) {
  emscripten::function("call", &call);
  emscripten::function("batchLine", &batch_line);
  emscripten::function("f64Scratch", &f64_scratch);
  emscripten::function("elementaryF64", &elementary_f64);
#ifndef FLK_OPS_VERIFY_ONLY
  emscripten::function("setDefaultModel", &set_default_model);
  emscripten::function("setWordnet", &set_wordnet);
#endif
}
