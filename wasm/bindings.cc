// Embind bindings of the facade for the Emscripten build (dist/wasm/flk.mjs + flk.wasm).
// call(op, inputJson) -> outputJson, and batchLine(line) for the shared line protocol. js/ parses the
// output and turns {"error":{...}} into a thrown FlkError.
#include <emscripten/bind.h>

#include <string>

#include "facade/batch.h"

namespace {

flk::Engine& engine() {
  static flk::Engine e;
  return e;
}

std::string call(const std::string& op, const std::string& input) { return engine().call(op, input).json; }
std::string batch_line(const std::string& line) { return flk::batch_line(engine(), line).json; }

}  // namespace

EMSCRIPTEN_BINDINGS(flk) {
  emscripten::function("call", &call);
  emscripten::function("batchLine", &batch_line);
}
