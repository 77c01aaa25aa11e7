// Embind bindings of the facade for the Emscripten build (dist/wasm/flk.mjs + flk.wasm):
// batchLine(line) for the shared line protocol and the scorer's data files. Calls and the typed
// fast path go through the C ABI of core/facade/host_abi.cc, as in the WASI reactor: bytes
// copied into the module's memory cost less than Embind's string conversions. js/ parses the
// output and turns {"error":{...}} into a thrown FlkError.
#include <emscripten/bind.h>

#include <string>

#include "facade/batch.h"
#include "facade/host_abi.h"
#ifndef FLK_OPS_VERIFY_ONLY
#include "facade/hrs_registry.h"
#include "hrs/wordnet.h"
#endif

namespace {

std::string batch_line(const std::string& line) { return flk::batch_line(flk::host_engine(), line).json; }

#ifndef FLK_OPS_VERIFY_ONLY
// The default HRS model file's bytes (hrs-default-model.json.gz), or why the loader has none.
void set_default_model(const std::string& gz, const std::string& unavailable) {
  flk::hrs_io::provide_default_model(flk::host_engine(), gz, unavailable);
}
// The WordNet table file's bytes (hrs-wordnet.txt.gz), or why the loader has none.
void set_wordnet(const std::string& gz, const std::string& unavailable) { flk::hrs::provide_wordnet(gz, unavailable); }
#endif

}  // namespace

EMSCRIPTEN_BINDINGS(flk) {
  emscripten::function("batchLine", &batch_line);
#ifndef FLK_OPS_VERIFY_ONLY
  emscripten::function("setDefaultModel", &set_default_model);
  emscripten::function("setWordnet", &set_wordnet);
#endif
}
