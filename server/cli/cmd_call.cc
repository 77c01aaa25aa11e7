#include <iostream>

#include "commands.h"
#include "facade/batch.h"

namespace flk::cli {
namespace {

int call(Engine& engine, const Parsed& p) {
  CallOutput out = engine.call(p.positional[0], read_all_stdin());
  std::cout << out.json << '\n';
  return out.ok ? kExitOk : kExitError;
}

int batch(Engine& engine, const Parsed&) {
  int rc = kExitOk;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    CallOutput out = batch_line(engine, line);
    std::cout << out.json << '\n';
    if (!out.ok) rc = kExitError;
  }
  return rc;
}

int ops(Engine& engine, const Parsed&) {
  std::cout << engine.call("ops", "{}").json << '\n';
  return kExitOk;
}

}  // namespace

std::vector<Spec> call_specs() {
  return {
      {"call", "OP", 1, 1, "read one JSON object on stdin, print the op's JSON answer", {}, call},
      {"batch", "", 0, 0, "JSON lines {\"op\",\"input\"} on stdin -> one answer line each", {}, batch},
      {"ops", "", 0, 0, "list every op of the facade", {}, ops},
  };
}

}  // namespace flk::cli
