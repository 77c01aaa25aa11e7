// flk ensemble eval — the grouped-CV measurement of docs/ensemble.md (risk scorer alone against
// the ensemble at an escalation budget, and the compute each costs); flk verify — ensemble.verify
// over a file of requests, one answer line each. Every computation goes through facade ops.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <algorithm>

#include "commands.h"
#include "jsonl_input.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {
namespace {

// Citations for a shared-data example: each answer sentence cites the context sentence the HRS
// alignment picks (the data has no citations of its own; docs/ensemble.md).
json::Value aligned_citations(Engine& engine, const json::Value& ex) {
  json::Value cites = json::Value::array();
  const json::Value* ctx = ex.find("context");
  if (!ctx || ctx->as_string().empty()) return cites;
  auto sup = engine.call_value("hrs.support", pick(ex, {"context", "answer"}));
  if (!sup.ok()) return cites;
  for (const auto& s : sup->find("sentences")->as_array()) {
    const json::Value* src = s.find("source");
    if (!src || !src->is_array() || cites.as_array().size() >= 64) continue;
    json::Value c = json::Value::object();
    c.set("answer", *s.find("answer")).set("source", *src);
    cites.push(std::move(c));
  }
  return cites;
}

double cpu_us() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

constexpr const char* kCostVoters[] = {"risk", "grounding", "citation_overlap", "micro_vote"};

struct Cost {
  double risk_us = 0, ensemble_us = 0;
  size_t n = 0;
  std::map<std::string, double> by_voter;  // voter -> CPU µs
};

// Least-squares line through (bytes read, CPU µs) per voter: the modeled clock's constants.
struct Fit {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  void add(double x, double y) { n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y; }
  double slope() const { return n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0; }
  double intercept() const { return n > 0 ? (sy - slope() * sx) / n : 0; }
};

// CPU time of each of the stacker's voter ops on every example (the op call with its JSON, as a
// host pays it); the scorer alone is the risk voter.
bool measure_cost(Engine& engine, const json::Value& examples, std::map<std::string, Cost>& cost,
                  std::map<std::string, Fit>& fits) {
  for (const auto& ex : examples.as_array()) {
    json::Value req = pick(ex, {"task", "question", "context", "answer"});
    json::Value cites = aligned_citations(engine, ex);
    uint64_t cited = 0;
    for (const auto& c : cites.as_array())
      for (const char* k : {"answer", "source"})
        cited += static_cast<uint64_t>(c.find(k)->as_array()[1].as_int() - c.find(k)->as_array()[0].as_int());
    if (!cites.as_array().empty()) req.set("citations", std::move(cites));
    uint64_t bytes = 0;
    for (const char* k : {"question", "context", "answer"})
      if (const json::Value* t = req.find(k)) bytes += t->as_string().size();
    for (const char* voter : kCostVoters) {
      const double t0 = cpu_us();
      auto r = engine.call_value(std::string("ensemble.") + voter, req);
      const double us = cpu_us() - t0;
      if (!r.ok()) {
        std::cout << error_json(r.error()) << '\n';
        return false;
      }
      if (r->find("status")->as_string() == "skipped") continue;
      fits[voter].add(static_cast<double>(std::string(voter) == "citation_overlap" ? cited : bytes), us);
      for (const std::string set : {ex.find("source")->as_string(), std::string("all")}) {
        Cost& c = cost[set];
        c.ensemble_us += us;
        if (std::string(voter) == "risk") c.risk_us += us, ++c.n;
        c.by_voter[voter] += us;
      }
    }
  }
  return true;
}

int ensemble_eval(Engine& engine, const Parsed& p) {
  json::Value examples;
  std::vector<Where> where;
  if (int rc = read_examples(p, examples, where)) return rc;
  json::Value in = json::Value::object();
  p.fill(in);
  in.set("examples", examples);
  std::fprintf(stderr, "[ensemble] grouped CV over %zu examples (retrains the risk scorer per fold)\n",
               examples.as_array().size());
  auto r = engine.call_value("ensemble.eval", in);
  if (!r.ok()) {
    name_flag(p, r.error());
    return report_error(r.error(), where, "$.examples");
  }
  if (p.has("out") && !write_file(p.get("out"), json::to_string(*r->find("params")) + "\n"))
    return io_failure("write", p.get("out"));
  std::fprintf(stderr, "[ensemble] measuring the voters' CPU time (this build)\n");
  std::map<std::string, Cost> cost;
  std::map<std::string, Fit> fits;
  if (!measure_cost(engine, examples, cost, fits)) return kExitError;
  json::Value report = *r;
  report.as_object().erase(std::remove_if(report.as_object().begin(), report.as_object().end(),
                                          [](const auto& kv) { return kv.first == "params"; }),
                           report.as_object().end());
  for (auto& m : report.as_object()) {
    if (m.first != "sets") continue;
    for (auto& s : m.second.as_object()) {
      const Cost& c = cost[s.first];
      json::Value o = json::Value::object();
      o.set("risk_us_per_request", c.n ? c.risk_us / c.n : 0).set("ensemble_us_per_request", c.n ? c.ensemble_us / c.n : 0);
      json::Value per = json::Value::object();
      for (const auto& kv : c.by_voter) per.set(kv.first, c.n ? kv.second / c.n : 0);
      o.set("voters_us_per_request", std::move(per));
      s.second.set("cost", std::move(o));
    }
  }
  if (p.has("report") && !write_file(p.get("report"), json::to_string(report) + "\n"))
    return io_failure("write", p.get("report"));
  const double budget = r->find("budget")->as_double();
  std::printf("| set | n (positives) | escalated (%.0f %%) | escaped: scorer alone | escaped: ensemble | change | AUROC scorer / "
              "ensemble | µs per request: scorer / ensemble |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
              budget * 100);
  for (const auto& s : report.find("sets")->as_object()) {
    const json::Value& x = s.second;
    const double pos = static_cast<double>(x.find("positives")->as_int());
    const double er = static_cast<double>(x.find("escaped_risk")->as_int());
    const double ee = static_cast<double>(x.find("escaped_ensemble")->as_int());
    const json::Value& c = *x.find("cost");
    std::printf("| %s | %lld (%lld) | %lld | %.0f (%.1f %%) | %.0f (%.1f %%) | %+.1f %% | %.3f / %.3f | %.0f / %.0f |\n",
                s.first.c_str(), static_cast<long long>(x.find("examples")->as_int()),
                static_cast<long long>(x.find("positives")->as_int()), static_cast<long long>(x.find("escalated")->as_int()),
                er, 100 * er / pos, ee, 100 * ee / pos, er > 0 ? 100 * (ee - er) / er : 0.0,
                x.find("auroc_risk")->as_double(), x.find("auroc_ensemble")->as_double(),
                c.find("risk_us_per_request")->as_double(), c.find("ensemble_us_per_request")->as_double());
  }
  std::printf("\n| set | voter AUROC | correlation risk / micro_vote | 2-of-3 accept / escalate / reject | escaped (accepted label 1) | label 0 rejected |\n"
              "| --- | --- | --- | --- | --- | --- |\n");
  for (const auto& s : report.find("sets")->as_object()) {
    const json::Value& x = s.second;
    std::string aurocs;
    for (const auto& v : x.find("auroc_voters")->as_object()) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s%s %.3f", aurocs.empty() ? "" : ", ", v.first.c_str(), v.second.as_double());
      aurocs += buf;
    }
    const json::Value& t = *x.find("two_of_three");
    std::printf("| %s | %s | %.3f | %lld / %lld / %lld | %lld | %lld |\n", s.first.c_str(), aurocs.c_str(),
                x.find("corr_risk_micro_vote")->as_double(),
                static_cast<long long>(t.find("accept")->as_int()), static_cast<long long>(t.find("escalate")->as_int()),
                static_cast<long long>(t.find("reject")->as_int()), static_cast<long long>(t.find("escaped")->as_int()),
                static_cast<long long>(t.find("false_reject")->as_int()));
  }
  std::printf("\n| voter | CPU µs = fixed + ns per byte read × bytes / 1000 (least squares over every request it ran on) |\n"
              "| --- | --- |\n");
  for (const auto& kv : fits)
    std::printf("| %s | %.1f + %.1f ns/B |\n", kv.first.c_str(), kv.second.intercept(), kv.second.slope() * 1000);
  return kExitOk;
}

// The policy of --policy: an EnsemblePolicy document (JSON or YAML, docs/policy.md) stands for its
// spec, checked by policy.evaluate; any other object is ensemble.verify's policy as it is.
Result<json::Value> verify_policy(Engine& engine, const Parsed& p) {
  const std::string file = p.get("policy");
  json::Value in = json::Value::object(), doc;
  FLK_TRY(read_policy(p, in, "policy", "policy", &doc));
  if (!doc.is_object() || !doc.find("apiVersion")) return doc;
  const json::Value* kind = doc.find("kind");
  if (!kind || !kind->is_string() || kind->as_string() != "EnsemblePolicy")
    return make_error("out_of_range", file + ": flk verify takes an EnsemblePolicy document (or ensemble.verify's policy)",
                      "$.policy.kind");
  auto out = engine.call_value("policy.evaluate", in);
  if (!out.ok()) return make_error(out.error().code, file + ": " + out.error().message, out.error().path);
  return *out->find("ensemble_policy");
}

// flk verify --in requests.jsonl [--out answers.jsonl] [--policy policy.json]: each line an
// ensemble.verify request (a line's own policy wins over --policy) with an optional string "id",
// which its answer line carries; one answer line each, a typed error for a bad line (exit 2 when
// any line failed).
int verify(Engine& engine, const Parsed& p) {
  const std::string in_file = p.get("in"), out_name = p.get("out");
  std::optional<json::Value> policy;
  if (p.has("policy")) {
    auto v = verify_policy(engine, p);
    if (!v.ok()) return print_result(v);
    policy = std::move(v.value());
  }
  std::ifstream file;
  if (in_file != "-") {
    if (!open_input(in_file, file)) return io_failure("read", in_file);
  }
  std::istream& in = in_file == "-" ? std::cin : file;
  std::ofstream out_file;
  if (p.has("out")) {
    out_file.open(out_name, std::ios::binary);
    if (!out_file) return io_failure("write", out_name);
  }
  std::ostream& out = p.has("out") ? out_file : std::cout;
  std::string line;
  size_t n = 0, failed = 0;
  std::map<std::string, size_t> decisions;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    auto v = json::parse(line);
    // The line's id is the caller's, not the op's: taken off the request, put on its answer.
    std::optional<json::Value> id;
    if (v.ok() && v->is_object()) {
      if (const json::Value* x = v->find("id")) {
        if (!x->is_string()) v = json::wrong_type("$.id", "a string", *x);
        else id = *x;
      }
    }
    if (v.ok() && id) {
      json::Value rest = json::Value::object();
      for (const auto& [k, x] : v->as_object())
        if (k != "id") rest.set(k, x);
      v = std::move(rest);
    }
    if (v.ok() && policy && v->is_object() && !v->find("policy")) v->set("policy", *policy);
    Result<json::Value> r = v.ok() ? engine.call_value("ensemble.verify", *v) : Result<json::Value>(v.error());
    json::Value answer;
    if (r.ok()) {
      ++decisions[r->find("decision")->as_string()];
      answer = std::move(r.value());
    } else {
      ++failed;
      std::fprintf(stderr, "flk: %s:%zu: %s\n", in_file.c_str(), n, r.error().message.c_str());
      answer = error_value(r.error());
    }
    if (id) answer.set("id", *id);
    out << json::to_string(answer) << '\n';
  }
  if (p.has("out")) {
    out_file.close();
    if (out_file.fail()) return io_failure("write", out_name);
  }
  std::fprintf(stderr, "flk: %zu requests: %zu accept, %zu escalate, %zu reject, %zu errors\n", n,
               decisions["accept"], decisions["escalate"], decisions["reject"], failed);
  return failed ? kExitError : kExitOk;
}

}  // namespace

std::vector<Spec> ensemble_specs() {
  return {
      {"ensemble eval", "", 0, 0, "scorer alone against the ensemble (grouped CV, docs/ensemble.md); tables on stdout",
       {Flag{"data", Kind::kList, "DIR|FILES", "the labelled examples: JSONL files, or directories of them"}.need(),
        Flag{"folds", Kind::kInt, "K", "cross-validation folds"}.op("folds").or_else("5").range(3, 10),
        Flag{"budget", Kind::kNumber, "X", "the share of requests escalated"}.op("budget").or_else("0.1").range(0, 1),
        Flag{"seed", Kind::kInt, "S", "the seed"}.op("seed").range(0, kNoBound),
        {"out", Kind::kFile, "params.json", "write the fitted ensemble parameters"},
        {"report", Kind::kFile, "r.json", "write the report JSON"}},
       ensemble_eval},
      {"verify", "", 0, 0, "ensemble.verify per request line; one answer line each",
       {Flag{"in", Kind::kFile, "requests.jsonl", "the requests, one per line (- = stdin)"}.need(),
        {"out", Kind::kFile, "answers.jsonl", "write the answers here instead of stdout"},
        Flag{"policy", Kind::kFile, "policy.json", "the policy of the lines that have none"}.op("policy")},
       verify},
  };
}

}  // namespace flk::cli
