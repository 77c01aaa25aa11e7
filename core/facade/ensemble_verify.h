// ensemble.verify's decision for a request already read, so the gate (gate.decide) runs the very
// same voters and combination as the op.
#pragma once
#include "facade/engine.h"
#include "facade/ensemble_input.h"

namespace flk::ensemble_io {

// The answer of ensemble.verify for req under s.
Result<json::Value> verify(Engine& e, const ensemble::Request& req, const Settings& s);

}  // namespace flk::ensemble_io
