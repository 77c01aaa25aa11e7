// An engine's ledger rebuilt from a tenant's stored usage events: cost.ledger.record on each
// event's stored input, at its arrival time, in batches. The cost routes that look back
// (reconcile, forecast, advice) run the facade ops on it, in an Engine of their own.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "app/app.h"
#include "facade/engine.h"

namespace flk::server {

// Events of [from_ms, to_ms) into engine's ledger. Returns how many were stored without their
// input (before migration 3: they cannot be re-priced), or nullopt with *err set.
std::optional<int64_t> load_stored_usage(App& app, Engine& engine, const std::string& tenant, int64_t from_ms,
                                         int64_t to_ms, Response* err);

}  // namespace flk::server
