// What the anomaly commands share: fitting a model on CSV rows and scoring CSV rows through the
// facade (anomaly.fit / anomaly.score), with progress on stderr and chunked streaming.
#pragma once
#include <string>
#include <vector>

#include "csv_table.h"
#include "facade/engine.h"
#include "flags.h"
#include "json/value.h"

namespace flk::cli {

struct FitRequest {
  json::Value options = json::Value::object();  // extra anomaly.fit fields (detector, window, ...)
  std::string order = "strict";
  int epochs = -1;                               // -1: the op's default
  bool progress = true;                          // one stderr line per epoch
};

// Fits on rows [begin, end); network detectors are trained one epoch per facade call (resuming
// from the previous call's model) so progress can be shown; the result equals one call.
Result<json::Value> fit_rows(Engine& engine, const CsvTable& t, size_t begin, size_t end, const FitRequest& req);

struct ScoredRows {
  std::vector<double> scores, uncertainty;
  std::vector<bool> flags;
  double threshold = 0;
};

// Scores rows [begin, end) as one stream (fresh window state), in chunks.
Result<ScoredRows> score_rows(Engine& engine, const json::Value& model, const CsvTable& t, size_t begin, size_t end,
                              const std::string& order);

// flk anomaly eval (anomaly_eval.cc).
int anomaly_eval(Engine& engine, const Parsed& p);

// Prints {"error": ...} for e (adding the CSV line for a $.rows[i] / $.times[i] path) and returns 2.
int report_error(const Error& e, const std::string& csv_path, size_t first_row);

}  // namespace flk::cli
