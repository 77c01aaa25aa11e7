// HRS latency: the hrs.score cases of bench/cases.json (1 KB answer, 4 KB context; without and
// with 3 reasons) through the facade, timed call by call so that p50 and p99 can be reported
// (counters p50_us, p99_us; shap_table_bytes: the TreeSHAP tables the explained case made), and
// the unexplained one's parts in the core: features alone, features + bag-of-words + members
// + interval, and the model's part alone.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "facade/engine.h"
#include "facade/hrs_registry.h"
#include "hrs/features.h"
#include "hrs/model.h"
#include "json/parse.h"
#include "json/write.h"

namespace {

struct Case {
  std::string input_json, question, context, answer;
};

// The hrs.score case of bench/cases.json with `reasons` top reasons (0: unexplained).
Case read_case(int64_t reasons) {
  std::ifstream f(FLK_SOURCE_DIR "/bench/cases.json");
  std::stringstream ss;
  ss << f.rdbuf();
  Case out;
  auto doc = flk::json::parse(ss.str());
  for (const auto& x : doc->find("cases")->as_array()) {
    if (x.find("op")->as_string() != "hrs.score") continue;
    const auto& in = *x.find("input");
    if (in.find("reasons")->as_int() != reasons) continue;
    out.input_json = flk::json::to_string(in);
    out.question = in.find("question")->as_string();
    out.context = in.find("context")->as_string();
    out.answer = in.find("answer")->as_string();
    break;
  }
  return out;
}

const Case& hrs_case() {
  static const Case c = read_case(0);
  return c;
}

void set_percentiles(benchmark::State& st, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  st.counters["p50_us"] = us[us.size() / 2];
  st.counters["p99_us"] = us[us.size() * 99 / 100];
}

// Bytes of the default model's TreeSHAP tables in this engine (made by its first explanation).
double shap_table_bytes(flk::Engine& engine) {
  size_t bytes = 0;
  for (const auto& g : flk::hrs_io::default_model(engine).value()->model.gbt) bytes += flk::hrs::shap_table_bytes(g);
  return static_cast<double>(bytes);
}

// Counters p50_us, p99_us, and shap_table_bytes: 0 unless the case asks for reasons.
void time_facade(benchmark::State& st, flk::Engine& engine, const Case& c) {
  engine.call("hrs.score", c.input_json);  // parses the embedded model once (and makes the tables)
  std::vector<double> us;
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(engine.call("hrs.score", c.input_json));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  set_percentiles(st, us);
  st.counters["shap_table_bytes"] = shap_table_bytes(engine);
}

void BM_hrs_score_facade(benchmark::State& st) {
  static flk::Engine engine;
  time_facade(st, engine, hrs_case());
}
BENCHMARK(BM_hrs_score_facade)->Iterations(20000);

void BM_hrs_score_reasons_facade(benchmark::State& st) {
  static flk::Engine engine;
  static const Case c = read_case(3);
  time_facade(st, engine, c);
}
BENCHMARK(BM_hrs_score_reasons_facade)->Iterations(5000);

flk::hrs::FeatureInput input(const Case& c) {
  flk::hrs::FeatureInput in;
  in.question = c.question;
  in.context = c.context;
  in.answer = c.answer;
  in.task = flk::hrs::Task::Qa;
  return in;
}

void BM_hrs_features(benchmark::State& st) {
  const Case& c = hrs_case();
  auto in = input(c);
  for (auto _ : st) benchmark::DoNotOptimize(flk::hrs::compute_features(in));
}
BENCHMARK(BM_hrs_features);

void BM_hrs_score_core(benchmark::State& st) {
  static flk::Engine engine;
  auto model = flk::hrs_io::default_model(engine).value();
  const Case& c = hrs_case();
  auto in = input(c);
  std::vector<double> us;
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<flk::hrs::Token> tok;
    flk::hrs::Features f = flk::hrs::compute_features(in, &tok);
    auto row = flk::hrs::model_row(f, flk::hrs::lexical_logit(model->model, f, tok));
    benchmark::DoNotOptimize(flk::hrs::score_row(model->model, row));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  set_percentiles(st, us);
}
BENCHMARK(BM_hrs_score_core)->Iterations(20000);

// The model's part alone: bag of words, members, interval. Each call's features are computed
// first, untimed, so that the model's tables are as far out of cache as in a whole call.
void BM_hrs_score_model(benchmark::State& st) {
  static flk::Engine engine;
  auto model = flk::hrs_io::default_model(engine).value();
  const auto in = input(hrs_case());
  for (auto _ : st) {
    std::vector<flk::hrs::Token> tok;
    const flk::hrs::Features f = flk::hrs::compute_features(in, &tok);
    auto t0 = std::chrono::steady_clock::now();
    auto row = flk::hrs::model_row(f, flk::hrs::lexical_logit(model->model, f, tok));
    benchmark::DoNotOptimize(flk::hrs::score_row(model->model, row));
    st.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
}
BENCHMARK(BM_hrs_score_model)->UseManualTime()->Iterations(20000);

}  // namespace
