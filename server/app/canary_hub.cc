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

constexpr int64_t kDefaultEvaluateEvery = 50, kMaxEvaluateEvery = 100000, kMaxEvaluateEveryMs = 86400000;
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

// A cohort's samples of a CanaryPolicy metric, one per request except for two:
// - containment: one per request labelled hallucinated, 1 when its answer was not served;
// - cost_per_trusted_task: one per accepted request, its cost plus an equal share of the cost of
//   the cohort's requests that were not accepted, so that the mean is the cohort's whole cost over
//   its trusted (accepted) tasks; none when the cohort accepted nothing.
json::Value samples_of(const std::vector<CanaryObservation>& seen, const std::string& metric) {
  json::Value a = json::Value::array();
  if (metric == "cost_per_trusted_task") {
    double untrusted = 0;
    size_t trusted = 0;
    for (const CanaryObservation& o : seen) {
      if (o.escalated || o.error) untrusted += o.cost_usd;
      else ++trusted;
    }
    for (const CanaryObservation& o : seen)
      if (!o.escalated && !o.error) a.push(o.cost_usd + untrusted / double(trusted));
    return a;
  }
  for (const CanaryObservation& o : seen) {
    if (metric == "latency_ms") a.push(o.latency_ms);
    else if (metric == "escalation_rate") a.push(o.escalated ? 1 : 0);
    else if (metric == "error_rate") a.push(o.error ? 1 : 0);
    else if (o.label == 1) a.push(o.served ? 0 : 1);  // containment
  }
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

int64_t max_samples(const json::Value& canary_doc) {
  const json::Value* m = canary_doc.find("spec")->find("max_samples");
  return int64_t(std::min(kMaxObservations, m ? size_t(m->as_int()) : kMaxObservations));
}

int64_t int_or(const json::Value& doc, const char* key, int64_t fallback) {
  const json::Value* v = doc.find(key);
  return v ? v->as_int() : fallback;
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
    running_[r.tenant] = Running{std::move(doc), r.phase, r.revision, 0};
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
  FLK_ASSIGN(auto every_ms, r.opt_integer("evaluate_every_ms", 1, kMaxEvaluateEveryMs));
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
  // Containment is worse when lower: a candidate that serves more hallucinated answers.
  const auto& ms = cspec.find("metrics")->as_array();
  for (size_t i = 0; i < ms.size(); ++i)
    if (ms[i].find("name")->as_string() == "containment" && ms[i].find("direction")->as_string() != "higher_is_better")
      return make_error("out_of_range", "$.canary.spec.metrics[" + std::to_string(i) + "].direction: containment is "
                        "higher_is_better", "$.canary.spec.metrics[" + std::to_string(i) + "].direction");
  FLK_ASSIGN(json::Value state, thread_engine().call_value(
                                    "canary.step", json::Value::object().set("policy", *canary_doc).set("verdict", "inconclusive")));
  if (state.find("state")->find("percent")->as_int() >= 100)
    return make_error("out_of_range", "$.canary.spec.steps: the first step must be below 100 % (a baseline cohort must run beside the canary)",
                      "$.canary.spec.steps");

  std::lock_guard<std::mutex> lock(mu_);
  json::Value doc = json::Value::object();
  doc.set("rollout", cand.find("name")->as_string() + "@" + cand.find("hash")->as_string().substr(7, 16))
      .set("tenant", tenant)
      .set("candidate", *candidate)
      .set("candidate_hash", *cand.find("hash"))
      .set("canary", *canary_doc)
      .set("canary_hash", *can.find("hash"))
      .set("state", *state.find("state"))
      .set("gates", json::Value::array())
      .set("actor", actor)
      .set("reason", reason)
      .set("started_ms", now_ms)
      .set("evaluated_ms", now_ms);
  if (every || !every_ms) doc.set("evaluate_every", every.value_or(kDefaultEvaluateEvery));
  if (every_ms) doc.set("evaluate_every_ms", *every_ms);
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("candidate_hash", *cand.find("hash")).set("actor", actor).set("reason", reason);
  int64_t revision = 0;
  FLK_ASSIGN(bool won, persist(tenant, doc, "canary.started", std::move(audit), false, now_ms, 0, -1, &revision));
  if (!won) return make_error("conflict", "tenant \"" + tenant + "\" has a canary rollout running", "$");
  metrics.percent.set({tenant}, double(doc.find("state")->find("percent")->as_int()));
  running_[tenant] = Running{doc, 0, revision, 0};
  return doc;
}

Result<json::Value> CanaryHub::abort(const std::string& tenant, const json::Value& body, int64_t now_ms) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
  FLK_ASSIGN(std::string actor, r.string("actor", kMaxActor));
  FLK_ASSIGN(std::string reason, r.string("reason", kMaxReason));
  FLK_TRY(r.finish());
  if (actor.empty()) return make_error("bad_format", "$.actor names who aborts the rollout", "$.actor");
  if (reason.empty()) return make_error("bad_format", "$.reason says why", "$.reason");
  FLK_TRY(sync(tenant));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it == running_.end()) return make_error("conflict", "tenant \"" + tenant + "\" has no canary rollout running", "$");
  json::Value doc = it->second.doc;
  const int64_t phase = it->second.phase;
  json::Value state = *doc.find("state");
  state.set("status", "aborted").set("percent", int64_t(0));
  doc.set("state", std::move(state)).set("aborted", json::Value::object().set("actor", actor).set("reason", reason).set("at_ms", now_ms));
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("actor", actor).set("reason", reason);
  int64_t revision = 0;
  FLK_ASSIGN(bool won, persist(tenant, doc, "canary.aborted", std::move(audit), false, now_ms, phase, -1, &revision));
  running_.erase(it);
  if (!won) return make_error("conflict", "tenant \"" + tenant + "\" has no canary rollout running", "$");
  metrics.percent.set({tenant}, 0);
  return doc;
}

Result<json::Value> CanaryHub::status(const std::string& tenant) {
  FLK_ASSIGN(auto stored, canary::rollout(store_, tenant));
  if (!stored) return json::Value();
  FLK_ASSIGN(json::Value doc, json::parse(stored->body));
  if (stored->status != "running") return doc;
  FLK_ASSIGN(auto counts, canary::observed(store_, tenant, stored->id, stored->phase));
  json::Value seen = json::Value::object();
  seen.set("baseline", counts.first).set("canary", counts.second).set("phase", stored->phase);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it != running_.end() && it->second.revision == stored->revision) seen.set("since_evaluation", it->second.since);
  doc.set("observed", std::move(seen));
  return doc;
}

// This instance's copy of the tenant's running rollout, brought to the store's revision: another
// instance may have started, moved or ended it.
Status CanaryHub::sync(const std::string& tenant) {
  FLK_ASSIGN(auto head, canary::running_head(store_, tenant));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(tenant);
    if (!head) {
      if (it != running_.end()) running_.erase(it), metrics.percent.set({tenant}, 0);
      return Ok{};
    }
    if (it != running_.end() && it->second.revision == head->revision) return Ok{};
  }
  FLK_ASSIGN(auto stored, canary::rollout(store_, tenant));
  if (!stored || stored->status != "running") return Ok{};
  FLK_ASSIGN(json::Value doc, json::parse(stored->body));
  std::lock_guard<std::mutex> lock(mu_);
  Running& r = running_[tenant];
  if (r.doc.is_null() || r.revision < stored->revision) {
    metrics.percent.set({tenant}, double(doc.find("state")->find("percent")->as_int()));
    r = Running{std::move(doc), stored->phase, stored->revision, 0};
  }
  return Ok{};
}

Result<std::optional<CanaryAssignment>> CanaryHub::assign(const std::string& tenant, const std::string& key) {
  FLK_TRY(sync(tenant));
  json::Value in = json::Value::object();
  CanaryAssignment a;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(tenant);
    if (it == running_.end()) return std::optional<CanaryAssignment>();
    const json::Value& doc = it->second.doc;
    a.rollout = doc.find("rollout")->as_string();
    a.phase = it->second.phase;
    a.max_samples = max_samples(*doc.find("canary"));
    a.candidate = *doc.find("candidate");
    a.candidate_hash = doc.find("candidate_hash")->as_string();
    in.set("rollout", a.rollout).set("key", key).set("percent", *doc.find("state")->find("percent"));
  }
  FLK_ASSIGN(json::Value c, thread_engine().call_value("canary.cohort", in));
  a.canary = c.find("cohort")->as_string() == "canary";
  return std::optional<CanaryAssignment>(std::move(a));
}

CanaryObservationWrite CanaryHub::observation(const std::string& tenant, const CanaryAssignment& a, CanaryObservation o) {
  CanaryObservationWrite w;
  w.tenant = tenant;
  w.id = o.verification_id;
  w.rollout = a.rollout;
  w.phase = a.phase;
  w.max_samples = a.max_samples;
  o.cohort = a.canary ? "canary" : "baseline";
  w.o = std::move(o);
  return w;
}

Status CanaryHub::observed(const std::string& tenant, const CanaryAssignment& a, bool stored, int64_t now_ms) {
  if (stored) metrics.observations.inc({tenant, a.canary ? "canary" : "baseline"});
  Running r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(tenant);
    if (it == running_.end() || it->second.doc.find("rollout")->as_string() != a.rollout || it->second.phase != a.phase)
      return Ok{};
    Running& live = it->second;
    const int64_t every = int_or(live.doc, "evaluate_every", 0), every_ms = int_or(live.doc, "evaluate_every_ms", 0);
    ++live.since;
    const bool due =
        (every > 0 && live.since >= every) || (every_ms > 0 && now_ms - live.doc.find("evaluated_ms")->as_int() >= every_ms);
    if (!due || live.evaluating) return Ok{};
    live.since = 0;
    live.evaluating = true;
    r = live;
  }
  const int64_t from = r.revision;
  auto outcome = evaluate(tenant, r, now_ms);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(tenant);
  if (it == running_.end() || it->second.revision != from) return outcome.ok() ? Status(Ok{}) : Status(outcome.error());
  if (!outcome.ok()) {
    it->second.evaluating = false;
    return outcome.error();
  }
  if (outcome.value() == Outcome::goes_on) it->second = Running{std::move(r.doc), r.phase, r.revision, 0, false};
  else running_.erase(it);  // ended, or another instance's evaluation is the stored one: the next request reads it
  return Ok{};
}

// The core judges the phase's cohorts, as all instances stored them, and moves the rollout; any
// change of step or failure count starts a new phase (cohorts at the new share, never history).
Result<CanaryHub::Outcome> CanaryHub::evaluate(const std::string& tenant, Running& r, int64_t now_ms) {
  const json::Value& policy = *r.doc.find("canary");
  const std::string& id = r.doc.find("rollout")->as_string();
  const int64_t limit = max_samples(policy);
  FLK_ASSIGN(auto baseline, canary::observations(store_, tenant, id, r.phase, "baseline", limit));
  FLK_ASSIGN(auto canary_seen, canary::observations(store_, tenant, id, r.phase, "canary", limit));
  json::Value samples = json::Value::object();
  for (const json::Value& m : policy.find("spec")->find("metrics")->as_array()) {
    const std::string& name = m.find("name")->as_string();
    samples.set(name, json::Value::object().set("baseline", samples_of(baseline, name)).set("canary", samples_of(canary_seen, name)));
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
  doc.set("gates", std::move(gates)).set("state", after).set("evaluated_ms", now_ms);
  const std::string status = after.find("status")->as_string();
  const char* type = status == "promoted" ? "canary.promoted" : status == "rolled_back" ? "canary.rolled_back" : "canary.gate";
  json::Value audit = json::Value::object();
  audit.set("rollout", *doc.find("rollout")).set("verdict", verdict).set("before", *step.find("before")).set("after", after);
  const bool moved = after.find("step")->as_int() != state_in.find("step")->as_int() ||
                     after.find("failed_gates")->as_int() != state_in.find("failed_gates")->as_int() || status != "running";
  const int64_t phase = r.phase + (moved ? 1 : 0);
  int64_t revision = 0;
  FLK_ASSIGN(bool won, persist(tenant, doc, type, std::move(audit), status == "promoted", now_ms, phase, r.revision, &revision));
  if (!won) return Outcome::lost;
  metrics.gates.inc({tenant, verdict});
  if (status == "running" && after.find("step")->as_int() > state_in.find("step")->as_int()) metrics.steps.inc({tenant});
  if (status == "rolled_back") metrics.rollbacks.inc({tenant});
  if (status == "promoted") metrics.promotions.inc({tenant});
  metrics.percent.set({tenant}, status == "running" ? double(after.find("percent")->as_int()) : 0.0);
  if (status != "running") return Outcome::ended;
  r.doc = std::move(doc);
  r.phase = phase;
  r.revision = revision;
  return Outcome::goes_on;
}

// The rollout document, its audit entry and, on promotion, the candidate made active, in one
// transaction; the promotion only with the rollout's write.
Result<bool> CanaryHub::persist(const std::string& tenant, const json::Value& doc, const char* audit_type, json::Value audit,
                                bool promote, int64_t now_ms, int64_t phase, int64_t expect_revision, int64_t* revision) {
  CanaryWrite w;
  w.tenant = tenant;
  w.id = doc.find("rollout")->as_string();
  w.rollout = CanaryRollout{tenant, w.id, status_of(doc), json::to_string(doc), now_ms, phase, 0};
  w.expect_running = std::string(audit_type) != "canary.started";
  w.expect_revision = expect_revision;
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
    p.only_if_won = &w;
    writes.push_back(&p);
  }
  FLK_TRY(store_.apply(writes, facade_audit_linker()));
  for (Write* x : writes)
    if (x->won) audit_entries_.inc();
  *revision = w.rollout.revision;
  return w.won;
}

}  // namespace flk::server
