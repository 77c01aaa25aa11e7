// Times each call of bench/cases.json through the native facade (JSON in, JSON out), the same
// work bench/js/run.mjs times in the Emscripten and WASI builds.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"

namespace {

void register_cases() {
  std::ifstream f(FLK_SOURCE_DIR "/bench/cases.json");
  std::stringstream ss;
  ss << f.rdbuf();
  auto doc = flk::json::parse(ss.str());
  if (!doc.ok()) return;
  for (const auto& c : doc->find("cases")->as_array()) {
    std::string name = "facade/" + c.find("name")->as_string();
    std::string op = c.find("op")->as_string();
    std::string input = flk::json::to_string(*c.find("input"));
    benchmark::RegisterBenchmark(name.c_str(), [op, input](benchmark::State& st) {
      static flk::Engine engine;
      for (auto _ : st) benchmark::DoNotOptimize(engine.call(op, input));
    });
  }
}

const int registered = (register_cases(), 0);

}  // namespace
