// The facade: every public operation is call(op, json) -> json, implemented once here and
// reached identically from the native CLI/server, the Emscripten module and the WASI module.
// Outputs are canonical JSON (json/write.h). Errors are values:
//   {"error":{"code":"<snake_case>","message":"…","path":"$.field"}}
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "json/value.h"
#include "pcs/dedup.h"
#include "util/result.h"

namespace flk {

namespace cost {
class State;
}

constexpr const char* kVersion = "0.1.0";
// The facade's input limit (bytes of JSON); larger inputs get error code too_large.
constexpr size_t kMaxInputBytes = 64u << 20;

struct CallOutput {
  std::string json;  // one line, no trailing newline
  bool ok = true;    // false when json is an error object
};

// State that one area's ops share across calls (loaded models, stores).
struct AreaState {
  virtual ~AreaState() = default;
};

// Holds the state that stateful ops share (stores, registries); one per host instance.
class Engine {
 public:
  Engine();
  CallOutput call(std::string_view op, std::string_view input_json);
  Result<json::Value> call_value(std::string_view op, const json::Value& input);

  // pcs.submit's first-write-wins store (persistent stores live in the server).
  pcs::MemoryDedupStore& dedup() { return dedup_; }

  // Cost attribution state (catalog, ledger, imported billing): the "cost" area state, kept
  // out of this header (facade/engine_cost.cc).
  cost::State& cost();

  // The area's state object, default-constructed on first use.
  template <class T>
  T& area_state(const std::string& area) {
    std::unique_ptr<AreaState>& p = areas_[area];
    if (!p) p = std::make_unique<T>();
    return static_cast<T&>(*p);
  }

 private:
  pcs::MemoryDedupStore dedup_;
  std::map<std::string, std::unique_ptr<AreaState>> areas_;
};

// {"error": {"code", "message", "path"?}}, as a value and as the text every host writes.
json::Value error_value(const Error& e);
std::string error_json(const Error& e);
// Which build this is: "native", "emscripten" or "wasi".
const char* build_target();

}  // namespace flk
