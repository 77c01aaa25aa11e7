// flk anomaly fit | score | eval: anomaly detectors on any multivariate metric CSV, through the
// facade (anomaly.fit, anomaly.score), so the CLI computes exactly what the other builds do.
#include <cstdio>
#include <iostream>

#include "anomaly_runner.h"
#include "commands.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {
namespace {

// --options '{"window": 16}' plus the flags that fill anomaly.fit fields (--detector, --seed, --epochs).
int anomaly_fit(Engine& engine, const Parsed& p) {
  FitRequest req;
  if (p.has("options")) {
    auto parsed = json::parse(p.get("options"));
    if (!parsed.ok() || !parsed->is_object()) return bad_value(p, "options", "a JSON object", p.get("options"));
    req.options = std::move(parsed.value());
  }
  p.fill(req.options);
  req.order = p.get("order");
  req.progress = !p.has("quiet");
  const std::string in = p.get("in"), out = p.get("out");
  auto table = read_csv_table(in);
  if (!table.ok()) return report_error(table.error(), "", 0);
  auto model = fit_rows(engine, *table, 0, table->rows, req);
  if (!model.ok()) {
    name_flag(p, model.error());
    return report_error(model.error(), in, 0);
  }
  if (!write_file(out, json::to_string(*model) + "\n")) return io_failure("write", out);
  const json::Value* cal = model->find("calibration");
  std::fprintf(stderr, "fitted %s on %zu rows x %zu columns (%zu gaps); calibration q = %.6g; wrote %s\n",
               model->find("detector")->as_string().c_str(), table->rows, table->columns.size(), table->gaps,
               cal->find("q")->as_double(), out.c_str());
  return kExitOk;
}

int anomaly_score(Engine& engine, const Parsed& p) {
  const std::string model_file = p.get("model"), in = p.get("in"), out_file = p.get("out");
  std::string model_text;
  if (!read_file(model_file, model_text)) return io_failure("read", model_file);
  auto model = json::parse(model_text);
  if (!model.ok()) return report_error(model.error(), "", 0);
  auto table = read_csv_table(in);
  if (!table.ok()) return report_error(table.error(), "", 0);
  auto scored = score_rows(engine, *model, *table, 0, table->rows, p.get("order"));
  if (!scored.ok()) {
    name_flag(p, scored.error());
    return report_error(scored.error(), in, 0);
  }
  std::string out;
  size_t flagged = 0;
  for (size_t i = 0; i < scored->scores.size(); ++i) {
    json::Value line = json::Value::object();
    line.set("row", static_cast<int64_t>(i)).set("score", scored->scores[i]).set("is_anomaly", bool(scored->flags[i]));
    out += json::to_string(line);
    out += '\n';
    flagged += scored->flags[i];
  }
  if (!write_file(out_file, out)) return io_failure("write", out_file);
  std::fprintf(stderr, "scored %zu rows, %zu flagged at threshold %.6g; wrote %s\n", scored->scores.size(), flagged,
               scored->threshold, out_file.c_str());
  return kExitOk;
}

}  // namespace

std::vector<Spec> anomaly_specs() {
  const Flag order =
      Flag{"order", Kind::kEnum, "strict|keep", "repeated or backward timestamps: an error, or kept"}.op("order").or_else("strict");
  return {
      {"anomaly fit", "", 0, 0, "fit a detector on a metric CSV",
       {Flag{"in", Kind::kFile, "train.csv[.gz]", "the training rows (read)"}.need(),
        Flag{"out", Kind::kFile, "model.json", "the model (written)"}.need(),
        Flag{"detector", Kind::kEnum, "ae|vae|iforest|zscore", "the detector"}.op("detector").or_else("ae"),
        Flag{"epochs", Kind::kInt, "N", "training epochs of ae and vae"}.op("epochs").range(0, 1000),
        Flag{"seed", Kind::kInt, "N", "the seed"}.op("seed").range(0, 9007199254740992.0),
        order,
        {"options", Kind::kString, "JSON", "more anomaly.fit fields, as a JSON object ({\"window\": 16})"},
        {"quiet", Kind::kSwitch, "", "no progress lines on stderr"}},
       anomaly_fit},
      {"anomaly score", "", 0, 0, "score a metric CSV with a fitted model: {\"row\",\"score\",\"is_anomaly\"} per line",
       {Flag{"model", Kind::kFile, "model.json", "the model of flk anomaly fit (read)"}.op("model").need(),
        Flag{"in", Kind::kFile, "test.csv[.gz]", "the rows to score (read)"}.need(),
        Flag{"out", Kind::kFile, "scores.jsonl", "the scores (written)"}.need(),
        order},
       anomaly_score},
      {"anomaly eval", "", 0, 0, "ours against baselines on labelled benchmarks (docs/anomaly.md)",
       {Flag{"data", Kind::kFile, "DIR", "the benchmarks' directory"}.or_else("$FLK_SHARED_DIR/data/anomaly"),
        Flag{"bench", Kind::kCsv, "nab,smd,asd", "the benchmarks"}.or_else("nab,smd,asd"),
        Flag{"detectors", Kind::kCsv, "ae,vae,iforest,zscore,iforest-raw", "the detectors"}
            .or_else("ae,vae,iforest,zscore,iforest-raw"),
        {"options", Kind::kString, "JSON", "more anomaly.fit fields for every detector, as a JSON object"},
        {"quantiles", Kind::kCsv, "Q,...", "also report each detector at these calibration quantiles"},
        {"per-series", Kind::kSwitch, "", "a row per series too"},
        {"json", Kind::kFile, "report.json", "write the report as JSON"},
        Flag{"limit", Kind::kInt, "N", "at most N series per benchmark (0: all)"}.or_else("0").range(0, kNoBound),
        {"quiet", Kind::kSwitch, "", "no progress lines on stderr"}},
       anomaly_eval},
  };
}

}  // namespace flk::cli
