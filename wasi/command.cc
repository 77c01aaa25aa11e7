// The WASI command module dist/wasi/flk.wasm:
//   flk.wasm call OP     one JSON object on stdin -> one JSON line on stdout
//   flk.wasm batch       JSON lines {"op","input"} on stdin -> one answer line each
//   flk.wasm ops         the op list
// Exit status: 0 ok, 1 usage, 2 a typed error was printed.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "facade/batch.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  flk::Engine engine;
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "call" && argc == 3) {
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    flk::CallOutput out = engine.call(argv[2], input);
    std::cout << out.json << '\n';
    return out.ok ? flk::kExitOk : flk::kExitError;
  }
  if (cmd == "ops" && argc == 2) {
    std::cout << engine.call("ops", "{}").json << '\n';
    return flk::kExitOk;
  }
  if (cmd == "batch" && argc == 2) {
    int rc = flk::kExitOk;
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.empty()) continue;
      flk::CallOutput out = flk::batch_line(engine, line);
      std::cout << out.json << '\n';
      if (!out.ok) rc = flk::kExitError;
    }
    return rc;
  }
  std::fputs("usage: flk.wasm call OP < input.json | flk.wasm batch < calls.jsonl | flk.wasm ops\n", stderr);
  return flk::kExitUsage;
}
