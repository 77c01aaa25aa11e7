// Canary gates, steps and cohorts as ops (docs/policy.md, "Canary"): pure functions of a
// CanaryPolicy and explicit samples or state, so the server, the CLI and a test replay the same
// decisions.
#include <algorithm>

#include "facade/policy_input.h"
#include "facade/registry.h"
#include "policy/canary.h"
#include "policy/cel.h"

namespace flk {
namespace {

namespace canary = policy::canary;

constexpr size_t kMaxSamplesPerCohort = 1000000;
const std::vector<int64_t> kDefaultSteps = {5, 10, 25, 50, 100};

Result<policy::Bundle> load_canary(json::ObjectReader& r) {
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  if (b.kind != "CanaryPolicy")
    return make_error("out_of_range", "$.policy.kind must be CanaryPolicy here", "$.policy.kind");
  return b;
}

canary::GateConfig gate_config(const json::Value& spec) {
  canary::GateConfig c;
  if (const json::Value* a = spec.find("alpha")) c.alpha = a->as_double();
  if (const json::Value* a = spec.find("min_samples")) c.min_samples = size_t(a->as_int());
  if (const json::Value* a = spec.find("max_samples")) c.max_samples = size_t(a->as_int());
  return c;
}

std::vector<int64_t> steps_of(const json::Value& spec) {
  const json::Value* s = spec.find("steps");
  if (!s) return kDefaultSteps;
  std::vector<int64_t> out;
  for (const json::Value& v : s->as_array()) out.push_back(v.as_int());
  return out;
}

json::Value metric_json(const canary::MetricResult& m) {
  return json::Value::object()
      .set("name", m.name)
      .set("verdict", canary::verdict_name(m.verdict))
      .set("reason", m.reason)
      .set("n_baseline", int64_t(m.n_baseline))
      .set("n_canary", int64_t(m.n_canary))
      .set("mean_baseline", m.mean_baseline)
      .set("mean_canary", m.mean_canary)
      .set("effect", m.effect)
      .set("u", m.u)
      .set("z", m.z)
      .set("p_worse", m.p_worse);
}

// The policy's gate predicate over {verdict, metrics: {name: {verdict, effect, p_worse, ...}}}.
Result<bool> predicate_holds(const json::Value& spec, const json::Value& summary) {
  const json::Value* g = spec.find("gate");
  if (!g) return true;
  std::string path = "$.policy.spec.gate";
  FLK_ASSIGN(policy::cel::Program p, policy::cel::compile(g->as_string(), path));
  std::vector<policy::cel::Binding> env;
  for (const auto& m : summary.as_object()) env.push_back({m.first, policy::cel::from_json(m.second)});
  FLK_ASSIGN(policy::cel::Value v, policy::cel::eval(p, env, path));
  if (v.kind != policy::cel::Kind::Bool) return make_error("cel_eval", path + ": the gate gave no bool", path);
  return v.b;
}

Result<json::Value> op_gate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, load_canary(r));
  FLK_ASSIGN(const json::Value* samples, r.required("samples"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(auto sr, json::ObjectReader::open(*samples, "$.samples"));
  const json::Value& spec = *b.doc.find("spec");
  canary::GateConfig cfg = gate_config(spec);
  std::vector<canary::MetricResult> results;
  for (const json::Value& m : spec.find("metrics")->as_array()) {
    canary::MetricSpec ms;
    ms.name = m.find("name")->as_string();
    ms.lower_is_better = m.find("direction")->as_string() == "lower_is_better";
    ms.tolerance = m.find("tolerance")->as_double();
    FLK_ASSIGN(const json::Value* pair, sr.required(ms.name));
    FLK_ASSIGN(auto pr, json::ObjectReader::open(*pair, sr.path_of(ms.name)));
    FLK_ASSIGN(const json::Value* bv, pr.required("baseline"));
    FLK_ASSIGN(std::vector<double> base, json::read_numbers(*bv, pr.path_of("baseline"), kMaxSamplesPerCohort));
    FLK_ASSIGN(const json::Value* cv, pr.required("canary"));
    FLK_ASSIGN(std::vector<double> can, json::read_numbers(*cv, pr.path_of("canary"), kMaxSamplesPerCohort));
    FLK_TRY(pr.finish());
    results.push_back(canary::compare(ms, base, can, cfg));
  }
  FLK_TRY(sr.finish());
  canary::Verdict v = canary::overall(results);
  json::Value metrics = json::Value::array();
  json::Value by_name = json::Value::object();
  for (const auto& m : results) {
    metrics.push(metric_json(m));
    by_name.set(m.name, metric_json(m));
  }
  json::Value summary = json::Value::object().set("verdict", canary::verdict_name(v)).set("metrics", std::move(by_name));
  FLK_ASSIGN(bool ok, predicate_holds(spec, summary));
  bool gate_failed = v == canary::Verdict::kPass && !ok;
  if (gate_failed) v = canary::Verdict::kFail;
  bool final_look = std::all_of(results.begin(), results.end(), [&](const canary::MetricResult& m) {
    return m.n_baseline >= cfg.max_samples && m.n_canary >= cfg.max_samples;
  });
  return json::Value::object()
      .set("verdict", canary::verdict_name(v))
      .set("early_stop", v != canary::Verdict::kInconclusive && !final_look)
      .set("predicate", spec.find("gate") ? json::Value(ok) : json::Value())
      .set("metrics", std::move(metrics))
      .set("policy", json::Value::object().set("name", b.name).set("version", b.version).set("hash", b.hash));
}

Result<canary::Verdict> read_verdict(json::ObjectReader& r) {
  using canary::Verdict;
  return r.choice<Verdict>("verdict", {{canary::verdict_name(Verdict::kPass), Verdict::kPass},
                                       {canary::verdict_name(Verdict::kFail), Verdict::kFail},
                                       {canary::verdict_name(Verdict::kInconclusive), Verdict::kInconclusive}});
}

Result<canary::RolloutState> read_state(const json::Value* v, size_t n_steps, int max_failed) {
  canary::RolloutState s;
  if (!v) return s;
  FLK_ASSIGN(auto r, json::ObjectReader::open(*v, "$.state"));
  FLK_ASSIGN(int64_t step, r.integer("step", 0, int64_t(n_steps) - 1));
  FLK_ASSIGN(int64_t failed, r.integer("failed_gates", 0, max_failed));
  using canary::Status;
  FLK_ASSIGN(s.status, r.choice<Status>("status", {{canary::status_name(Status::kRunning), Status::kRunning},
                                                  {canary::status_name(Status::kPromoted), Status::kPromoted},
                                                  {canary::status_name(Status::kRolledBack), Status::kRolledBack}}));
  FLK_TRY(r.finish());
  s.step = size_t(step);
  s.failed_gates = int(failed);
  return s;
}

json::Value state_json(const canary::RolloutState& s, const std::vector<int64_t>& steps) {
  int64_t percent = s.status == canary::Status::kRolledBack ? 0
                    : s.status == canary::Status::kPromoted ? 100
                                                             : steps[s.step];
  return json::Value::object()
      .set("step", int64_t(s.step))
      .set("failed_gates", int64_t(s.failed_gates))
      .set("status", canary::status_name(s.status))
      .set("percent", percent);
}

Result<json::Value> op_step(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, load_canary(r));
  const json::Value& spec = *b.doc.find("spec");
  std::vector<int64_t> steps = steps_of(spec);
  int max_failed = spec.find("max_failed_gates") ? int(spec.find("max_failed_gates")->as_int()) : 2;
  FLK_ASSIGN(canary::Verdict v, read_verdict(r));
  const json::Value* sv = r.optional("state");
  FLK_ASSIGN(canary::RolloutState s, read_state(sv, steps.size(), max_failed));
  FLK_TRY(r.finish());
  if (s.status != canary::Status::kRunning)
    return make_error("conflicting_fields", "$.state.status: the rollout has ended", "$.state.status");
  json::Value out = json::Value::object();
  out.set("before", state_json(s, steps)).set("state", state_json(canary::step(s, v, steps.size(), max_failed), steps));
  return out;
}

Result<json::Value> op_cohort(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string rollout, r.string("rollout", 256));
  // "" is no rollout's id: every rollout given it would share one shuffle.
  if (rollout.empty()) return make_error("bad_length", "$.rollout must not be empty", r.path_of("rollout"));
  FLK_ASSIGN(std::string key, r.string("key", 1024));
  FLK_ASSIGN(int64_t percent, r.integer("percent", 0, 100));
  FLK_TRY(r.finish());
  uint32_t bucket = canary::bucket(rollout, key);
  return json::Value::object()
      .set("bucket", bucket)
      .set("cohort", int64_t(bucket) < percent * 100 ? "canary" : "baseline");
}

}  // namespace

void add_canary_ops(std::vector<OpSpec>& t) {
  t.push_back({"canary.gate",
               "Judges a canary cohort against a baseline cohort per metric of a CanaryPolicy: one-sided Mann-Whitney U "
               "and relative effect size with tolerance, interim bound for early stopping; pass, fail or inconclusive.",
               "PolicyInput & { samples: Record<string, { baseline: number[]; canary: number[] }> }",
               "{ verdict: 'pass' | 'fail' | 'inconclusive'; early_stop: boolean; predicate: boolean | null; metrics: { "
               "name: string; verdict: 'pass' | 'fail' | 'inconclusive'; reason: string; n_baseline: number; n_canary: "
               "number; mean_baseline: number; mean_canary: number; effect: number; u: number; z: number; p_worse: number "
               "}[]; policy: { name: string; version: number; hash: string } }",
               op_gate});
  t.push_back({"canary.step",
               "One step of a canary rollout: pass advances (5/10/25/50/100 % by default, then promoted), inconclusive "
               "holds, fail counts; max_failed_gates failures roll back.",
               "PolicyInput & { verdict: 'pass' | 'fail' | 'inconclusive'; state?: { step: number; failed_gates: "
               "number; status: 'running' | 'promoted' | 'rolled_back' } }",
               "{ before: CanaryState; state: CanaryState }", op_step});
  t.push_back({"canary.cohort",
               "Consistent-hash cohort of a request in a rollout: bucket 0..9999, canary when below percent * 100.",
               "{ rollout: string; key: string; percent: number }", "{ bucket: number; cohort: 'canary' | 'baseline' }",
               op_cohort});
}

}  // namespace flk
