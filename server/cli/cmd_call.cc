#include <iostream>

#include "commands.h"
#include "facade/batch.h"

namespace flk::cli {

int cmd_call(Engine& engine, const Args& args) {
  if (args.size() != 1) return usage_error("call takes one op name and reads its JSON input on stdin");
  CallOutput out = engine.call(args[0], read_all_stdin());
  std::cout << out.json << '\n';
  return out.ok ? kExitOk : kExitError;
}

int cmd_batch(Engine& engine, const Args& args) {
  if (!args.empty()) return usage_error("batch takes no arguments");
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

int cmd_ops(Engine& engine, const Args& args) {
  if (!args.empty()) return usage_error("ops takes no arguments");
  std::cout << engine.call("ops", "{}").json << '\n';
  return kExitOk;
}

}  // namespace flk::cli
