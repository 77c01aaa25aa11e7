// Compiled RiskRoutingPolicies an Engine keeps between calls. A gate sees its tenant's policy on
// every request, and reading, checking, hashing and compiling the document cost about as much as
// the rest of the decision (bench/native/gate_bench.cc). An entry is found by comparing the whole
// document and the path its errors name, so a hit is exactly what a fresh load would give.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "facade/engine.h"
#include "json/value.h"
#include "policy/bundle.h"
#include "policy/router.h"

namespace flk {

struct CompiledRouting {
  std::string path;
  policy::Bundle bundle;
  policy::Router router;
};

// The RiskRoutingPolicy `doc` at `path`, loaded and compiled on a miss. Documents that fail are
// not kept. At most kRoutingCacheEntries are kept per Engine; a miss replaces the oldest. The
// pointer is valid until the Engine's next call.
constexpr size_t kRoutingCacheEntries = 8;
Result<const CompiledRouting*> compiled_routing(Engine& e, const json::Value& doc, const std::string& path);

}  // namespace flk
