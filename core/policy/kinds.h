// The four kinds of policy document (docs/policy.md, "Kinds"), as tables of core/policy/schema.h.
#pragma once
#include <string>

#include "policy/schema.h"

namespace flk::policy {

constexpr const char* kApiVersion = "flk.dev/policy/v1";

extern const char* const kKinds[];  // nullptr-terminated
// The whole document of a kind (apiVersion, kind, metadata, spec, signature), or nullptr.
const Shape* document_shape(const std::string& kind);

// Actions of a RiskRoutingPolicy band, in escalation order.
extern const char* const kActions[];  // nullptr-terminated

}  // namespace flk::policy
