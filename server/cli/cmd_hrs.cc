// flk hrs train | eval | score — the Hallucination Risk Scorer on files in the shared data
// schema (JSON lines {id, source, task, question, context, answer, label}). Every computation
// goes through the facade ops (hrs.train, hrs.model_load, hrs.eval, hrs.score).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "jsonl_input.h"
#include "json/parse.h"
#include "json/write.h"
#include "util/progress.h"

namespace flk::cli {
namespace {

using Clock = std::chrono::steady_clock;
Clock::time_point g_start;

void print_progress(const char* msg) {
  double s = std::chrono::duration<double>(Clock::now() - g_start).count();
  std::fprintf(stderr, "[hrs %7.1fs] %s\n", s, msg);
}

void print_metrics_table(const json::Value& card) {
  const json::Value* cv = card.find("cv_metrics");
  if (!cv) return;
  const json::Value* ours = cv->find("hrs");
  std::printf("\n| set | method | AUROC | AUPRC | ECE |\n| --- | --- | --- | --- | --- |\n");
  for (const auto& s : ours->as_object())
    for (const auto& m : cv->as_object()) {
      const json::Value* x = m.second.find(s.first);
      if (!x) continue;
      std::printf("| %s | %s | %.3f | %.3f | %.3f |\n", s.first.c_str(), m.first.c_str(),
                  x->find("auroc")->as_double(), x->find("auprc")->as_double(), x->find("ece")->as_double());
    }
}

// The form probes of a model card or an hrs.eval result: {probe: {set: metrics}}.
void print_probe_table(std::FILE* out, const json::Value* probes) {
  if (!probes || probes->as_object().empty()) return;
  std::fprintf(out, "\n| probe | set | changed | AUROC (original) | shift label 0 | shift label 1 | wrong side of 0.5 |\n"
              "| --- | --- | --- | --- | --- | --- | --- |\n");
  for (const auto& p : probes->as_object())
    for (const auto& s : p.second.as_object())
      std::fprintf(out, "| %s | %s | %lld | %.3f (%.3f) | %+.3f | %+.3f | %.3f |\n", p.first.c_str(), s.first.c_str(),
                  static_cast<long long>(s.second.find("changed")->as_int()), s.second.find("auroc")->as_double(),
                  s.second.find("auroc_original")->as_double(), s.second.find("shift_label0")->as_double(),
                  s.second.find("shift_label1")->as_double(), s.second.find("wrong_side_of_half")->as_double());
}

int hrs_train(Engine& engine, const Parsed& p) {
  g_start = Clock::now();
  set_progress_sink(print_progress);
  json::Value examples;
  std::vector<Where> where;
  if (int rc = read_examples(p, examples, where)) return rc;
  json::Value in = json::Value::object();
  p.fill(in);
  in.set("examples", std::move(examples));
  auto r = engine.call_value("hrs.train", in);
  set_progress_sink(nullptr);
  if (!r.ok()) {
    name_flag(p, r.error());
    return report_error(r.error(), where, "$.examples");
  }
  const json::Value& model = *r->find("model");
  const std::string out = p.get("out");
  if (!write_file(out, json::to_string(model) + "\n")) return io_failure("write", out);
  print_progress(("wrote " + out + " (id " + model.find("id")->as_string() + ")").c_str());
  print_metrics_table(*model.find("card"));
  const json::Value* form = model.find("card")->find("form");
  print_probe_table(stdout, form ? form->find("probes") : nullptr);
  return kExitOk;
}

// Loads --model into the engine and returns its id ("" = the embedded default).
bool load_model_file(Engine& engine, const std::string& path, std::string& id, int& rc) {
  if (path.empty()) return true;
  std::string text;
  if (!read_file(path, text)) {
    rc = io_failure("read", path);
    return false;
  }
  auto v = json::parse(text);
  if (!v.ok()) {
    std::cout << error_json(v.error()) << '\n';
    rc = kExitError;
    return false;
  }
  json::Value in = json::Value::object();
  in.set("model", std::move(v.value()));
  auto r = engine.call_value("hrs.model_load", in);
  if (!r.ok()) {
    std::cout << error_json(r.error()) << '\n';
    rc = kExitError;
    return false;
  }
  id = r->find("model_id")->as_string();
  return true;
}

int hrs_eval(Engine& engine, const Parsed& p) {
  std::string id;
  int rc = kExitOk;
  if (!load_model_file(engine, p.get("model"), id, rc)) return rc;
  json::Value examples;
  std::vector<Where> where;
  if (int rc = read_examples(p, examples, where)) return rc;
  json::Value in = json::Value::object();
  in.set("examples", std::move(examples));
  if (!id.empty()) in.set("model_id", id);
  if (p.on("probes")) in.set("probes", true);
  auto r = engine.call_value("hrs.eval", in);
  if (!r.ok()) {
    name_flag(p, r.error());
    return report_error(r.error(), where, "$.examples");
  }
  std::string text = json::to_string(*r);
  if (p.has("out")) {
    if (!write_file(p.get("out"), text + "\n")) return io_failure("write", p.get("out"));
  } else {
    std::cout << text << '\n';
  }
  std::fprintf(stderr, "| set | examples | AUROC | AUPRC | ECE |\n| --- | --- | --- | --- | --- |\n");
  for (const auto& s : r->find("sets")->as_object())
    std::fprintf(stderr, "| %s | %lld | %.3f | %.3f | %.3f |\n", s.first.c_str(),
                 static_cast<long long>(s.second.find("examples")->as_int()), s.second.find("auroc")->as_double(),
                 s.second.find("auprc")->as_double(), s.second.find("ece")->as_double());
  print_probe_table(stderr, r->find("probes"));
  return kExitOk;
}

int hrs_score(Engine& engine, const Parsed& p) {
  std::string id;
  int rc = kExitOk;
  if (!load_model_file(engine, p.get("model"), id, rc)) return rc;
  const std::string in_file = p.get("in"), out_file = p.get("out");
  std::ifstream in;
  if (!open_input(in_file, in)) return io_failure("read", in_file);
  std::ofstream out(out_file, std::ios::binary);
  if (!out) return io_failure("write", out_file);
  std::string line;
  size_t n = 0, scored = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    auto v = json::parse(line);
    const json::Value* idv = v.ok() && v->is_object() ? v->find("id") : nullptr;
    if (!v.ok() || !idv || !idv->is_string())
      return line_error(in_file, n, v.ok() ? make_error("missing_field", "$.id: every line needs a string id", "$.id") : v.error());
    json::Value req = pick(*v, {"task", "question", "context", "answer"});
    req.set("reasons", 0);
    if (!id.empty()) req.set("model_id", id);
    auto r = engine.call_value("hrs.score", req);
    if (!r.ok()) return line_error(in_file, n, r.error());
    json::Value pred = json::Value::object();
    pred.set("id", idv->as_string()).set("score", r->find("probability")->as_double());
    out << json::to_string(pred) << '\n';
    ++scored;
  }
  out.close();
  if (out.fail()) return io_failure("write", out_file);
  std::fprintf(stderr, "flk: scored %zu examples -> %s\n", scored, out_file.c_str());
  return kExitOk;
}

}  // namespace

std::vector<Spec> hrs_specs() {
  const Flag data = Flag{"data", Kind::kList, "DIR|FILES", "the examples: JSONL files, or directories of them"}.need();
  const Flag model = {"model", Kind::kFile, "M", "the model file (default: the embedded model)"};
  return {
      {"hrs train", "", 0, 0, "train a model with grouped CV; prints per-set metrics and the form probes",
       {data, Flag{"out", Kind::kFile, "model.json", "the model (written)"}.need(),
        Flag{"kind", Kind::kEnum, "gbt|logistic", "the model kind"}.op("kind").or_else("gbt"),
        Flag{"folds", Kind::kInt, "K", "cross-validation folds"}.op("folds").or_else("5").range(2, 10),
        Flag{"bags", Kind::kInt, "B", "bootstrap members"}.op("bags").or_else("3").range(1, 64),
        Flag{"seed", Kind::kInt, "S", "the seed"}.op("seed").or_else("1").range(0, kNoBound),
        Flag{"trees", Kind::kInt, "N", "trees of a gbt model"}.op("trees").or_else("134").range(1, 2000),
        Flag{"depth", Kind::kInt, "N", "tree depth"}.op("depth").or_else("4").range(1, 8),
        Flag{"learning-rate", Kind::kNumber, "X", "gbt learning rate"}.op("learning_rate").or_else("0.1").range(1e-4, 1),
        Flag{"lexical-bits", Kind::kInt, "N", "hashed lexical features: 2^N buckets"}.op("lexical_bits").or_else("17").range(8, 18),
        Flag{"lexical-keep", Kind::kInt, "N", "lexical features kept"}.op("lexical_keep").or_else("10000").range(0, 1 << 18),
        Flag{"lexical-l2", Kind::kNumber, "X", "L2 penalty of the lexical model"}.op("lexical_l2").or_else("0.0001").range(0, 100),
        Flag{"linear-l2", Kind::kNumber, "X", "L2 penalty of the linear model"}.op("linear_l2").or_else("0.001").range(0, 100),
        Flag{"drop-form", Kind::kBool, "", "the members do not see the answer-form features"}.op("drop_form").or_else("1"),
        Flag{"balance-forms", Kind::kBool, "", "also train QA answers in their other form"}.op("balance_forms").or_else("1"),
        Flag{"balance-labels", Kind::kBool, "", "balance the labels"}.op("balance_labels").or_else("1"),
        Flag{"synthetic", Kind::kBool, "", "add consistency rows made from the contexts"}.op("synthetic").or_else("1"),
        Flag{"synthetic-weight", Kind::kNumber, "X", "the synthetic examples' weight"}.op("synthetic_weight").or_else("0.3").range(1e-3, 1),
        Flag{"probes", Kind::kBool, "", "compute the form probes"}.op("probes").or_else("1")},
       hrs_train},
      {"hrs eval", "", 0, 0, "per-set metrics (and form probes); the JSON on stdout or in --out, tables on stderr",
       {model, data, {"out", Kind::kFile, "metrics.json", "write the metrics JSON here"},
        Flag{"probes", Kind::kBool, "", "the form probes too"}.op("probes")},
       hrs_eval},
      {"hrs score", "", 0, 0, "{\"id\",\"score\"} per example line",
       {model, Flag{"in", Kind::kFile, "examples.jsonl", "the examples, each with a string id (read)"}.need(),
        Flag{"out", Kind::kFile, "preds.jsonl", "the predictions (written)"}.need()},
       hrs_score},
  };
}

}  // namespace flk::cli
