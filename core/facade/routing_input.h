// Reading a band policy (routing.decide's "bands"), shared with the gate's decision (gate.decide).
#pragma once
#include "json/value.h"
#include "routing/bands.h"

namespace flk::routing_io {

// The bands at "$.bands" (null: the default policy), validated; errors carry "$.bands[i]..." paths.
Result<routing::Policy> read_policy(const json::Value* v);

}  // namespace flk::routing_io
