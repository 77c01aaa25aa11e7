// The line protocol shared by every command-line front door (native flk, WASI flk.wasm,
// js/cli.mjs): `batch` reads JSON lines {"op": "...", "input": {...}} and answers each with
// exactly the bytes that call(op, input) gives, so whole files of inputs can be compared
// across builds. Exit status of a command: 0 all ok, 2 when any answer was an error.
#pragma once
#include <string_view>

#include "facade/engine.h"

namespace flk {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitError = 2;

CallOutput batch_line(Engine& engine, std::string_view line);

}  // namespace flk
