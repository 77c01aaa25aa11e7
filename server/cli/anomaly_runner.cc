#include "anomaly_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "anomaly/detector.h"
#include "facade/batch.h"
#include "json/write.h"

namespace flk::cli {
namespace {

constexpr size_t kScoreChunk = 20000;

// rows, times and columns of [begin, end) plus the order policy.
json::Value series_input(const CsvTable& t, size_t begin, size_t end, const std::string& order) {
  json::Value in = json::Value::object();
  in.set("rows", rows_json(t, begin, end));
  if (!t.times.empty()) in.set("times", times_json(t, begin, end));
  json::Value cols = json::Value::array();
  for (const auto& c : t.columns) cols.push(c);
  in.set("columns", std::move(cols)).set("order", order);
  return in;
}

bool trains_by_epoch(const json::Value& options) {
  const json::Value* d = options.find("detector");
  return !d || !d->is_string() || d->as_string() == "ae" || d->as_string() == "vae";
}

// Moves a member out of a JSON object (which the caller no longer needs).
json::Value take(json::Value& obj, const char* key) {
  for (auto& m : obj.as_object())
    if (m.first == key) return std::move(m.second);
  return json::Value();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Result<json::Value> fit_rows(Engine& engine, const CsvTable& t, size_t begin, size_t end, const FitRequest& req) {
  json::Value in = series_input(t, begin, end, req.order);
  json::Value first = in;
  for (const auto& m : req.options.as_object()) first.set(m.first, m.second);
  int epochs = req.epochs;
  if (epochs < 0) {
    const json::Value* e = req.options.find("epochs");
    epochs = e && e->is_int() ? static_cast<int>(e->as_int()) : anomaly::FitConfig{}.epochs;
  }
  if (!trains_by_epoch(req.options) || epochs <= 1) {
    if (req.epochs >= 0) first.set("epochs", req.epochs);
    FLK_ASSIGN(json::Value out, engine.call_value("anomaly.fit", first));
    return take(out, "model");
  }
  const auto t0 = std::chrono::steady_clock::now();
  json::Value model;
  for (int e = 1; e <= epochs; ++e) {
    json::Value& call = e == 1 ? first : in;
    call.set("epochs", 1).set("keep_optimizer", e < epochs);
    if (e > 1) call.set("resume", std::move(model));
    FLK_ASSIGN(json::Value out, engine.call_value("anomaly.fit", call));
    model = take(out, "model");
    if (req.progress) {
      const json::Value& h = out.find("history")->as_array().back();
      const json::Value* loss = h.find("loss");
      const json::Value* val = h.find("validation_error");
      std::fprintf(stderr, "epoch %d/%d  loss %.6g  validation error %.6g  %.1f s\n", e, epochs,
                   loss->is_number() ? loss->as_double() : 0.0, val->is_number() ? val->as_double() : 0.0,
                   seconds_since(t0));
    }
  }
  return model;
}

Result<ScoredRows> score_rows(Engine& engine, const json::Value& model, const CsvTable& t, size_t begin, size_t end,
                              const std::string& order) {
  ScoredRows out;
  json::Value state;
  for (size_t b = begin; b < end; b += kScoreChunk) {
    const size_t e = std::min(end, b + kScoreChunk);
    json::Value in = series_input(t, b, e, order);
    in.set("model", model);
    if (b > begin) in.set("state", std::move(state));
    auto r = engine.call_value("anomaly.score", in);
    if (!r.ok()) {
      Error err = r.error();
      // Paths index the chunk; shift them to rows of the whole range.
      for (const char* stem : {"$.rows[", "$.times["}) {
        const std::string s(stem);
        if (err.path.compare(0, s.size(), s) == 0) {
          const size_t k = std::stoul(err.path.substr(s.size())) + (b - begin);
          err.path = s + std::to_string(k) + err.path.substr(err.path.find(']'));
        }
      }
      return err;
    }
    json::Value& res = r.value();
    for (const json::Value& x : res.find("scores")->as_array()) out.scores.push_back(x.as_double());
    for (const json::Value& x : res.find("uncertainty")->as_array()) out.uncertainty.push_back(x.as_double());
    for (const json::Value& x : res.find("is_anomaly")->as_array()) out.flags.push_back(x.as_bool());
    out.threshold = res.find("threshold")->as_double();
    state = take(res, "state");
  }
  return out;
}

int report_error(const Error& e, const std::string& csv_path, size_t first_row) {
  Error shown = e;
  for (const char* stem : {"$.rows[", "$.times["}) {
    const std::string s(stem);
    if (e.path.compare(0, s.size(), s) == 0 && !csv_path.empty()) {
      // Data row k sits on line k + 2 of the file (after the header), when there are no blank lines.
      const size_t k = std::stoul(e.path.substr(s.size())) + first_row;
      shown.message += " (" + csv_path + " data row " + std::to_string(k) + ", line " + std::to_string(k + 2) + ")";
    }
  }
  std::cout << error_json(shown) << '\n';
  return kExitError;
}

}  // namespace flk::cli
