#include "app/canary_hub.h"

#include <algorithm>

#include "app/facade.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/canary/canary.h"
#include "store/policies/policies.h"

namespace flk::server {
namespace {

constexpr int64_t kDefaultEvaluateEvery = 50, kMaxEvaluateEvery = 100000;
constexpr size_t kMaxObservations = 5000;  // per cohort, whatever the policy's max_samples
constexpr size_t kMaxGatesKept = 50;       // gate results kept in the rollout document
constexpr size_t kMaxActor = 128, kMaxReason = 1024;

FamilySpec spec(const char* name, const char* help, MetricKind kind, std::vector<std::string> labels) {
  FamilySpec s;
  s.name = name;
  s.help = help;
  s.kind = kind;
  s.labels = std::move(labels);
  return s;
}

// The per-request value of a CanaryPolicy metric; containment needs labels and is refused at start.
double metric_value(const std::string& name, const CanaryObservation& o) {
  if (name == "latency_ms") return o.latency_ms;
  if (name == "escalation_rate") return o.escalated ? 1 : 0;
  if (name == "error_rate") return o.error ? 1 : 0;
  return o.cost_usd;  // cost_per_trusted_task: the request's cost
}

json::Value samples_of(const std::vector<CanaryObservation>& seen, const std::string& metric) {
  json::Value a = json::Value::array();
  for (const CanaryObservation& o : seen) a.push(metric_value(metric, o));
  return a;
}

// policy.validate's check, its errors located at `path` rather than at $.policy.
Result<json::Value> validated(const json::Value& doc, const char* kind, const std::string& path) {
  auto checked = thread_engine().call_value("policy.validate", json::Value::object().set("policy", doc));
  if (!checked.ok()) {
    Error e = checked.error();
    const std::string from = "$.policy";
    for (std::string* t : {&e.path, &e.message})
      for (size_t at = t->find(from); at != std::string::npos; at = t->find(from, at + path.size())) t->replace(at, from.size(), path);
    return e;
  }
  json::Value c = std::move(checked.value());
  if (c.find("kind")->as_string() != kind)
    return make_error("out_of_range", path + ".kind must be " + kind, path + ".kind");
  return c;
}

size_t max_samples(const json::Value& canary_doc) {
  const json::Value* m = canary_doc.find("spec")->find("max_samples");
  return std::min(kMaxObservations, m ? size_t(m->as_int()) : kMaxObservations);
}

std::string status_of(const json::Value& doc) { return doc.find("state")->find("status")->as_string(); }

}  // namespace

CanaryMetrics::CanaryMetrics()
    : percent(spec("flk_canary_percent", "share of the tenant's POST /v1/verify traffic in the running canary cohort (0 when none)",
                   MetricKind::gauge, {"tenant"})),
      gates(spec("flk_canary_gates_total", "canary gate evaluations by tenant and verdict (pass, fail, inconclusive)",
                 MetricKind::counter, {"tenant", "verdict"})),
      steps(spec("flk_canary_steps_total", "canary rollouts advanced to a larger share, by tenant", MetricKind::counter,
                 {"tenant"})),
      rollbacks(spec("flk_canary_rollbacks_total", "canary rollouts rolled back after failed gates, by tenant",
                     MetricKind::counter, {"tenant"})),
      promotions(spec("flk_canary_promotions_total", "canary rollouts promoted (the candidate made active), by tenant",
                      MetricKind::counter, {"tenant"})),
      observations(spec("flk_canary_observations_total", "requests observed by running canary rollouts, by tenant and cohort",
                        MetricKind::counter, {"tenant", "cohort"})) {}

Status CanaryHub::load() {
  FLK_ASSIGN(std::vector<CanaryRollout> rows, canary::running(store_));
  std::lock_guard<std::mutex> lock(mu_);
  for (const CanaryRollout& r : rows) {
    FLK_ASSIGN(json::Value doc, json::parse(r.body));
    metrics.percent.set({r.tenant}, double(doc.find("state")->find("percent")->as_int()));
    running_[r.tenant] = Running{std::move(doc), {}, {}, 0};
  }
  return Ok{};
}

Result<json::Value> CanaryHub::start(const std::string& tenant, const json::Value& body, int64_t now_ms) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  FLK_ASSIGN(const json::Value* candidate, r.required("candidate"));
  FLK_ASSIGN(const json::Value* canary_doc, r.required("canary"));
  FLK_ASSIGN(std::string actor, r.string("actor", kMaxActor));
  FLK_ASSIGN(std::string reason, r.string("reason", kMaxReason));
  FLK_ASSIGN(auto every, r.opt_integer("evaluate_every", 1, kMaxEvaluateEvery));
  FLK_TRY(r.finish());
  if (actor.empty()) return make_error("bad_format", "$.actor names who starts the rollout", "$.actor");
  if (reason.empty()) return make_error("bad_format", "$.reason says why", "$.reason");
  FLK_ASSIGN(json::Value cand, validated(*candidate, "RiskRoutingPolicy", "$.candidate"));
  FLK_ASSIGN(json::Value can, validated(*canary_doc, "CanaryPolicy", "$.canary"));
  for (const auto& [path, doc] : {std::make_pair("$.candidate", candidate), std::make_pair("$.canary", canary_doc)}) {
    const json::Value* named = doc->find("metadata")->find("tenant");
    if (named && named->as_string() != tenant)
      return make_error("out_of_range", std::string(path) + ".metadata.tenant names \"" + named->as_string() + "\"",
                        std::string(path) + ".metadata.tenant");
  }
  const json::Value& cspec = *canary_doc->find("spec");
  if (cspec.find("target")->as_string() != cand.find("name")->as_string())
    return make_error("out_of_range", "$.canary.spec.target must name the candidate (" + cand.find("name")->as_string() + ")",
                      "$.canary.spec.target");
  const auto& ms = cspec.find("metrics")->as_array();
  for (size_t i = 0; i < ms.size(); ++i)
    if (ms[i].find("name")->as_string() == "containment")
      return make_error("out_of_range", "$.canary.spec.metrics[" + std::to_string(i) + "].name: containment needs labels, "
                        "which requests do not carry; the server observes latency_ms, escalation_rate, error_rate and "
                        "cost_per_trusted_task", "$.canary.spec.metrics[" + std::to_string(i) + "].name");
  FLK_ASSIGN(json::Value state, thread_engine().call_value(
                                    "canary.step", json::Value::object().set("policy", *canary_doc).set("verdict", "inconclusive")));
  if (state.find("state")->find("percent")->as_int() >= 100)
    return make_error("out_of_range", "$.canary.spec.steps: the first step must be below 100 % (a baseline cohort must run beside the canary)",
                      "$.canary.spec.steps");

  std::lock_guard<std::mutex> lock(mu_);
  if (running_.count(tenant))
    return make_error("conflict", "tenant \"" + tenant + "\" has a canary rollout running", "$");
  json::Value doc = json::Value::object();
  doc.set("rollout", cand.find("name")->as_string() + "@" + cand.find("hash")->as_string().substr(7, 16))
      .set("tenant", tenant)
      .set("candidate", *candidate)
      .set("candidate_hash", *cand.find("hash"))
      .set("canary", *canary_doc)
      .set("canary_hash", *can.find("hash"))
      .set("evaluate_every", every.value_or(kDefaultEvaluateEvery))
      .set("state", *state.find("state"))
      .set("gates", json::Value::array())
      .set("actor", actor)
      .set("reason", reason)
      .set("started_ms", now_ms);
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("candidate_hash", *cand.find("hash")).set("actor", actor).set("reason", reason);
  FLK_TRY(persist(tenant, doc, "canary.started", std::move(audit), false, now_ms));
  metrics.percent.set({tenant}, double(doc.find("state")->find("percent")->as_int()));
  running_[tenant] = Running{doc, {}, {}, 0};
  return doc;
}

Result<json::Value> CanaryHub::abort(const std::string& tenant, const json::Value& body, int64_t now_ms) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  FLK_ASSIGN(std::string actor, r.string("actor", kMaxActor));
  FLK_ASSIGN(std::string reason, r.string("reason", kMaxReason));
  FLK_TRY(r.finish());
  if (actor.empty()) return make_error("bad_format", "$.actor names who aborts the rollout", "$.actor");
  if (reason.empty()) return make_error("bad_format", "$.reason says why", "$.reason");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it == running_.end()) return make_error("conflict", "tenant \"" + tenant + "\" has no canary rollout running", "$");
  json::Value doc = it->second.doc;
  json::Value state = *doc.find("state");
  state.set("status", "aborted").set("percent", int64_t(0));
  doc.set("state", std::move(state)).set("aborted", json::Value::object().set("actor", actor).set("reason", reason).set("at_ms", now_ms));
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("actor", actor).set("reason", reason);
  FLK_TRY(persist(tenant, doc, "canary.aborted", std::move(audit), false, now_ms));
  running_.erase(it);
  metrics.percent.set({tenant}, 0);
  return doc;
}

Result<json::Value> CanaryHub::status(const std::string& tenant) {
  FLK_ASSIGN(auto stored, canary::rollout(store_, tenant));
  if (!stored) return json::Value();
  FLK_ASSIGN(json::Value doc, json::parse(stored->body));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it != running_.end() && status_of(doc) == "running")
    doc.set("observed", json::Value::object()
                            .set("baseline", int64_t(it->second.baseline.seen.size()))
                            .set("canary", int64_t(it->second.canary.seen.size()))
                            .set("since_evaluation", it->second.since));
  return doc;
}

std::optional<CanaryAssignment> CanaryHub::assign(const std::string& tenant, const std::string& key) {
  json::Value in = json::Value::object();
  CanaryAssignment a;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(tenant);
    if (it == running_.end()) return std::nullopt;
    const json::Value& doc = it->second.doc;
    a.rollout = doc.find("rollout")->as_string();
    a.candidate = *doc.find("candidate");
    a.candidate_hash = doc.find("candidate_hash")->as_string();
    in.set("rollout", a.rollout).set("key", key).set("percent", *doc.find("state")->find("percent"));
  }
  auto c = thread_engine().call_value("canary.cohort", in);
  if (!c.ok()) return std::nullopt;
  a.canary = c->find("cohort")->as_string() == "canary";
  return a;
}

Status CanaryHub::observe(const std::string& tenant, const CanaryAssignment& a, const CanaryObservation& o, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it == running_.end() || it->second.doc.find("rollout")->as_string() != a.rollout) return Ok{};
  Running& r = it->second;
  Cohort& c = a.canary ? r.canary : r.baseline;
  if (c.seen.size() >= max_samples(*r.doc.find("canary"))) c.seen.erase(c.seen.begin());
  c.seen.push_back(o);
  metrics.observations.inc({tenant, a.canary ? "canary" : "baseline"});
  if (++r.since < r.doc.find("evaluate_every")->as_int()) return Ok{};
  r.since = 0;
  return evaluate(tenant, r, now_ms);
}

// The core judges the step's cohorts and moves the rollout; any change of step or failure count
// starts a fresh comparison (cohorts at the new share, never history).
Status CanaryHub::evaluate(const std::string& tenant, Running& r, int64_t now_ms) {
  const json::Value& policy = *r.doc.find("canary");
  json::Value samples = json::Value::object();
  for (const json::Value& m : policy.find("spec")->find("metrics")->as_array()) {
    const std::string& name = m.find("name")->as_string();
    samples.set(name, json::Value::object().set("baseline", samples_of(r.baseline.seen, name)).set("canary", samples_of(r.canary.seen, name)));
  }
  FLK_ASSIGN(json::Value gate, thread_engine().call_value("canary.gate", json::Value::object().set("policy", policy).set("samples", std::move(samples))));
  const std::string& verdict = gate.find("verdict")->as_string();
  json::Value state_in = *r.doc.find("state");
  json::Value step_in = json::Value::object();
  step_in.set("policy", policy).set("verdict", verdict).set("state", json::Value::object()
                                                                           .set("step", *state_in.find("step"))
                                                                           .set("failed_gates", *state_in.find("failed_gates"))
                                                                           .set("status", *state_in.find("status")));
  FLK_ASSIGN(json::Value step, thread_engine().call_value("canary.step", step_in));
  // At 100 % no baseline cohort runs beside the canary to compare with: reaching it promotes, by
  // the core's step from the last step.
  if (step.find("state")->find("status")->as_string() == "running" && step.find("state")->find("percent")->as_int() == 100) {
    const json::Value& at = *step.find("state");
    step_in.set("verdict", "pass").set("state", json::Value::object()
                                                    .set("step", *at.find("step"))
                                                    .set("failed_gates", *at.find("failed_gates"))
                                                    .set("status", *at.find("status")));
    FLK_ASSIGN(json::Value last, thread_engine().call_value("canary.step", step_in));
    step.set("state", *last.find("state"));
  }
  const json::Value& after = *step.find("state");
  json::Value result = json::Value::object();
  result.set("verdict", verdict).set("early_stop", *gate.find("early_stop")).set("metrics", *gate.find("metrics"))
      .set("before", *step.find("before")).set("after", after).set("at_ms", now_ms);
  json::Value doc = r.doc;
  json::Value gates = *doc.find("gates");
  gates.push(result);
  if (gates.as_array().size() > kMaxGatesKept) {
    json::Value kept = json::Value::array();
    for (size_t i = gates.as_array().size() - kMaxGatesKept; i < gates.as_array().size(); ++i) kept.push(gates.as_array()[i]);
    gates = std::move(kept);
  }
  doc.set("gates", std::move(gates)).set("state", after);
  const std::string status = after.find("status")->as_string();
  const char* type = status == "promoted" ? "canary.promoted" : status == "rolled_back" ? "canary.rolled_back" : "canary.gate";
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("verdict", verdict).set("before", *step.find("before")).set("after", after);
  FLK_TRY(persist(tenant, doc, type, std::move(audit), status == "promoted", now_ms));
  metrics.gates.inc({tenant, verdict});
  const bool moved = after.find("step")->as_int() != state_in.find("step")->as_int() ||
                     after.find("failed_gates")->as_int() != state_in.find("failed_gates")->as_int() || status != "running";
  if (status == "running" && after.find("step")->as_int() > state_in.find("step")->as_int()) metrics.steps.inc({tenant});
  if (status == "rolled_back") metrics.rollbacks.inc({tenant});
  if (status == "promoted") metrics.promotions.inc({tenant});
  metrics.percent.set({tenant}, status == "running" ? double(after.find("percent")->as_int()) : 0.0);
  if (status != "running") {
    running_.erase(tenant);
    return Ok{};
  }
  r.doc = std::move(doc);
  if (moved) r.baseline.seen.clear(), r.canary.seen.clear();
  return Ok{};
}

// The rollout document, its audit entry and, on promotion, the candidate made active, in one
// transaction.
Status CanaryHub::persist(const std::string& tenant, const json::Value& doc, const char* audit_type, json::Value audit,
                          bool promote, int64_t now_ms) {
  CanaryWrite w;
  w.tenant = tenant;
  w.id = doc.find("rollout")->as_string();
  w.rollout = CanaryRollout{tenant, w.id, status_of(doc), json::to_string(doc), now_ms};
  w.expect_running = std::string(audit_type) != "canary.started";
  w.audit = AuditDraft{audit_type, tenant, std::move(audit), now_ms};
  std::vector<Write*> writes = {&w};
  PolicyWrite p;
  if (promote) {
    const json::Value& cand = *doc.find("candidate");
    PolicyVersion& v = p.policy;
    v.tenant = tenant;
    v.kind = "RiskRoutingPolicy";
    v.name = cand.find("metadata")->find("name")->as_string();
    v.doc_version = cand.find("metadata")->find("version")->as_int();
    v.hash = doc.find("candidate_hash")->as_string();
    v.doc = json::to_string(cand);
    v.actor = "canary";
    v.reason = "rollout " + w.id + " promoted";
    v.created_ms = now_ms;
    p.tenant = tenant;
    p.id = v.kind;
    p.audit = AuditDraft{"policy.updated", tenant, json::Value::object().set("actor", v.actor).set("reason", v.reason), now_ms};
    writes.push_back(&p);
  }
  FLK_TRY(store_.apply(writes, facade_audit_linker()));
  for (Write* x : writes)
    if (x->won) audit_entries_.inc();
  if (!w.won && std::string(audit_type) == "canary.started")
    return make_error("conflict", "tenant \"" + tenant + "\" has a canary rollout running", "$");
  return Ok{};
}

}  // namespace flk::server
