// The engine behind a JavaScript host's exports (host_abi.cc's C ABI, and the Emscripten build's
// wasm/bindings.cc): one per module instance, so a model the host provides is the one it calls.
#pragma once
#include "facade/engine.h"

namespace flk {

Engine& host_engine();

}  // namespace flk
