// dist/native/flk — the native command line. `flk --help` lists the subcommands.
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace flk::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"call", "call OP              read one JSON object on stdin, print the op's JSON answer", cmd_call},
      {"batch", "batch                JSON lines {\"op\",\"input\"} on stdin -> one answer line each", cmd_batch},
      {"ops", "ops                  list every op of the facade", cmd_ops},
      {"cost", "cost SUBCOMMAND       import-billing FILE | report | reconcile | forecast (flk cost --help)", cmd_cost},
  };
  return list;
}

}  // namespace flk::cli

int main(int argc, char** argv) {
  using namespace flk::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::printf("flk %s — Fractal LBA verification core (native build)\n\nusage:\n", flk::kVersion);
    for (const Command& c : commands()) std::printf("  flk %s\n", c.usage);
    std::printf("\nexit status: 0 ok, 1 usage error, 2 the answer is a typed error {\"error\":{...}}\n");
    return argc < 2 ? flk::kExitUsage : flk::kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("%s\n", flk::kVersion);
    return 0;
  }
  Args args(argv + 2, argv + argc);
  flk::Engine engine;
  for (const Command& c : commands())
    if (c.name == std::string(argv[1])) return c.run(engine, args);
  return usage_error(std::string("unknown command \"") + argv[1] + "\"");
}
