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

// --options '{"window": 16}' plus the shorthand options that map to anomaly.fit fields.
bool fit_options(const Options& o, json::Value& out, std::string& problem) {
  out = json::Value::object();
  if (const std::string* text = o.get("--options")) {
    auto parsed = json::parse(*text);
    if (!parsed.ok() || !parsed->is_object()) {
      problem = "--options must be a JSON object";
      return false;
    }
    out = std::move(parsed.value());
  }
  if (const std::string* d = o.get("--detector")) out.set("detector", *d);
  if (const std::string* s = o.get("--seed")) {
    char* end = nullptr;
    long long v = std::strtoll(s->c_str(), &end, 10);
    if (!end || *end || s->empty()) {
      problem = "--seed must be an integer";
      return false;
    }
    out.set("seed", static_cast<int64_t>(v));
  }
  if (const std::string* e = o.get("--epochs")) {
    char* end = nullptr;
    long v = std::strtol(e->c_str(), &end, 10);
    if (!end || *end || e->empty()) {
      problem = "--epochs must be an integer";
      return false;
    }
    out.set("epochs", static_cast<int64_t>(v));
  }
  return true;
}

int anomaly_fit(Engine& engine, const Args& args) {
  Options o;
  std::string problem;
  if (!parse_options(args, {"--in", "--out", "--detector", "--seed", "--epochs", "--order", "--options"}, {"--quiet"},
                     o, problem))
    return usage_error("anomaly fit: " + problem);
  if (!o.get("--in") || !o.get("--out")) return usage_error("anomaly fit needs --in train.csv[.gz] and --out model.json");
  FitRequest req;
  if (!fit_options(o, req.options, problem)) return usage_error("anomaly fit: " + problem);
  if (const std::string* order = o.get("--order")) req.order = *order;
  req.progress = !o.get("--quiet");
  auto table = read_csv_table(*o.get("--in"));
  if (!table.ok()) return report_error(table.error(), "", 0);
  auto model = fit_rows(engine, *table, 0, table->rows, req);
  if (!model.ok()) return report_error(model.error(), *o.get("--in"), 0);
  if (!write_file(*o.get("--out"), json::to_string(*model) + "\n")) return io_failure("write", *o.get("--out"));
  const json::Value* cal = model->find("calibration");
  std::fprintf(stderr, "fitted %s on %zu rows x %zu columns (%zu gaps); calibration q = %.6g; wrote %s\n",
               model->find("detector")->as_string().c_str(), table->rows, table->columns.size(), table->gaps,
               cal->find("q")->as_double(), o.get("--out")->c_str());
  return kExitOk;
}

int anomaly_score(Engine& engine, const Args& args) {
  Options o;
  std::string problem;
  if (!parse_options(args, {"--model", "--in", "--out", "--order"}, {}, o, problem))
    return usage_error("anomaly score: " + problem);
  if (!o.get("--model") || !o.get("--in") || !o.get("--out"))
    return usage_error("anomaly score needs --model model.json, --in test.csv[.gz] and --out scores.jsonl");
  std::string model_text;
  if (!read_file(*o.get("--model"), model_text)) return io_failure("read", *o.get("--model"));
  auto model = json::parse(model_text);
  if (!model.ok()) return report_error(model.error(), "", 0);
  auto table = read_csv_table(*o.get("--in"));
  if (!table.ok()) return report_error(table.error(), "", 0);
  auto scored = score_rows(engine, *model, *table, 0, table->rows, o.get("--order") ? *o.get("--order") : "strict");
  if (!scored.ok()) return report_error(scored.error(), *o.get("--in"), 0);
  std::string out;
  size_t flagged = 0;
  for (size_t i = 0; i < scored->scores.size(); ++i) {
    json::Value line = json::Value::object();
    line.set("row", static_cast<int64_t>(i)).set("score", scored->scores[i]).set("is_anomaly", bool(scored->flags[i]));
    out += json::to_string(line);
    out += '\n';
    flagged += scored->flags[i];
  }
  if (!write_file(*o.get("--out"), out)) return io_failure("write", *o.get("--out"));
  std::fprintf(stderr, "scored %zu rows, %zu flagged at threshold %.6g; wrote %s\n", scored->scores.size(), flagged,
               scored->threshold, o.get("--out")->c_str());
  return kExitOk;
}

}  // namespace

int cmd_anomaly(Engine& engine, const Args& args) {
  if (args.empty()) return usage_error("anomaly needs a subcommand: fit, score or eval");
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "fit") return anomaly_fit(engine, rest);
  if (args[0] == "score") return anomaly_score(engine, rest);
  if (args[0] == "eval") return anomaly_eval(engine, rest);
  return usage_error("unknown anomaly subcommand \"" + args[0] + "\" (fit, score, eval)");
}

}  // namespace flk::cli
