// flk hrs train | eval | score — the Hallucination Risk Scorer on files in the shared data
// schema (JSON lines {id, source, task, question, context, answer, label}). Every computation
// goes through the facade ops (hrs.train, hrs.model_load, hrs.eval, hrs.score).
#include <algorithm>
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

struct Opts {
  std::vector<std::string> data;
  std::string out, model, in, report;
  bool probes = false;  // eval --probes
  json::Value train = json::Value::object();
};

// --key value pairs; --data takes every following argument up to the next --option.
bool parse_args(const Args& args, Opts& o, std::string& err) {
  static const char* kTrainInts[] = {"folds", "bags", "seed", "trees", "depth", "lexical-bits", "lexical-keep"};
  static const char* kTrainNums[] = {"learning-rate", "lexical-l2", "linear-l2", "synthetic-weight"};
  static const char* kTrainBools[] = {"drop-form", "balance-forms", "balance-labels", "synthetic"};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--probes") {  // a flag, or --probes 0|1
      bool value = i + 1 >= args.size() || args[i + 1].compare(0, 2, "--") == 0 || args[++i] != "0";
      o.probes = value;
      o.train.set("probes", value);
      continue;
    }
    if (a.compare(0, 2, "--") != 0 || i + 1 >= args.size()) {
      err = "unexpected argument \"" + a + "\"";
      return false;
    }
    std::string key = a.substr(2);
    if (key == "data") {
      while (i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0) o.data.push_back(args[++i]);
      continue;
    }
    const std::string& val = args[++i];
    std::string jkey = key;
    std::replace(jkey.begin(), jkey.end(), '-', '_');
    if (key == "out") o.out = val;
    else if (key == "model") o.model = val;
    else if (key == "in") o.in = val;
    else if (key == "report") o.report = val;
    else if (key == "kind") o.train.set("kind", val);
    else if (std::any_of(std::begin(kTrainInts), std::end(kTrainInts), [&](const char* k) { return key == k; })) {
      auto n = whole_integer(val);
      if (!n) {
        err = a + " takes an integer, got \"" + val + "\"";
        return false;
      }
      o.train.set(jkey, *n);
    } else if (std::any_of(std::begin(kTrainNums), std::end(kTrainNums), [&](const char* k) { return key == k; })) {
      auto n = whole_number(val);
      if (!n) {
        err = a + " takes a number, got \"" + val + "\"";
        return false;
      }
      o.train.set(jkey, *n);
    } else if (std::any_of(std::begin(kTrainBools), std::end(kTrainBools), [&](const char* k) { return key == k; }))
      o.train.set(jkey, val != "0" && val != "false");
    else {
      err = "unknown option --" + key;
      return false;
    }
  }
  return true;
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

int hrs_train(Engine& engine, const Opts& o) {
  if (o.data.empty() || o.out.empty()) return usage_error("hrs train needs --data DIR|FILES and --out FILE");
  std::vector<std::string> files;
  if (!expand_inputs(o.data, files) || files.empty()) return usage_error("no .jsonl files in --data");
  g_start = Clock::now();
  set_progress_sink(print_progress);
  json::Value examples;
  std::vector<Where> where;
  if (!read_jsonl(files, examples, where)) return kExitError;
  for (auto& e : examples.as_array())
    e = pick(e, {"id", "source", "task", "question", "context", "answer", "label"});
  json::Value in = o.train;
  in.set("examples", std::move(examples));
  auto r = engine.call_value("hrs.train", in);
  set_progress_sink(nullptr);
  if (!r.ok()) return report_error(r.error(), where, "$.examples");
  const json::Value& model = *r->find("model");
  if (!write_file(o.out, json::to_string(model) + "\n")) return io_failure("write", o.out);
  print_progress(("wrote " + o.out + " (id " + model.find("id")->as_string() + ")").c_str());
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

int hrs_eval(Engine& engine, const Opts& o) {
  if (o.data.empty()) return usage_error("hrs eval needs --data FILES");
  std::string id;
  int rc = kExitOk;
  if (!load_model_file(engine, o.model, id, rc)) return rc;
  std::vector<std::string> files;
  if (!expand_inputs(o.data, files) || files.empty()) return usage_error("no .jsonl files in --data");
  json::Value examples;
  std::vector<Where> where;
  if (!read_jsonl(files, examples, where)) return kExitError;
  for (auto& e : examples.as_array())
    e = pick(e, {"id", "source", "task", "question", "context", "answer", "label"});
  json::Value in = json::Value::object();
  in.set("examples", std::move(examples));
  if (!id.empty()) in.set("model_id", id);
  if (o.probes) in.set("probes", true);
  auto r = engine.call_value("hrs.eval", in);
  if (!r.ok()) return report_error(r.error(), where, "$.examples");
  std::string text = json::to_string(*r);
  if (!o.out.empty()) {
    if (!write_file(o.out, text + "\n")) return io_failure("write", o.out);
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

int hrs_score(Engine& engine, const Opts& o) {
  if (o.in.empty() || o.out.empty()) return usage_error("hrs score needs --in FILE and --out FILE");
  std::string id;
  int rc = kExitOk;
  if (!load_model_file(engine, o.model, id, rc)) return rc;
  std::ifstream in;
  if (!open_input(o.in, in)) return io_failure("read", o.in);
  std::ofstream out(o.out, std::ios::binary);
  if (!out) return io_failure("write", o.out);
  std::string line;
  size_t n = 0, scored = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    auto v = json::parse(line);
    const json::Value* idv = v.ok() && v->is_object() ? v->find("id") : nullptr;
    if (!v.ok() || !idv || !idv->is_string()) {
      Error e = v.ok() ? make_error("missing_field", "$.id: every line needs a string id", "$.id") : v.error();
      std::fprintf(stderr, "flk: %s:%zu: ", o.in.c_str(), n);
      std::cout << error_json(e) << '\n';
      return kExitError;
    }
    json::Value req = pick(*v, {"task", "question", "context", "answer"});
    req.set("reasons", 0);
    if (!id.empty()) req.set("model_id", id);
    auto r = engine.call_value("hrs.score", req);
    if (!r.ok()) {
      std::fprintf(stderr, "flk: %s:%zu: ", o.in.c_str(), n);
      std::cout << error_json(r.error()) << '\n';
      return kExitError;
    }
    json::Value pred = json::Value::object();
    pred.set("id", idv->as_string()).set("score", r->find("probability")->as_double());
    out << json::to_string(pred) << '\n';
    ++scored;
  }
  out.close();
  if (out.fail()) return io_failure("write", o.out);
  std::fprintf(stderr, "flk: scored %zu examples -> %s\n", scored, o.out.c_str());
  return kExitOk;
}

}  // namespace

int cmd_hrs(Engine& engine, const Args& args) {
  if (args.empty()) return usage_error("hrs needs a subcommand: train, eval or score");
  Opts o;
  std::string err;
  if (!parse_args(Args(args.begin() + 1, args.end()), o, err)) return usage_error(err);
  if (args[0] == "train") return hrs_train(engine, o);
  if (args[0] == "eval") return hrs_eval(engine, o);
  if (args[0] == "score") return hrs_score(engine, o);
  return usage_error("unknown hrs subcommand \"" + args[0] + "\"");
}

}  // namespace flk::cli
