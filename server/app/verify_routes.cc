// The verification gate's routes (docs/server.md, "Verification gate"):
//   POST /v1/verify         a signed tenant request {question?, context?, answer, task?, citations?,
//                           samples?, pcs?, pcs_params?, host_votes?, usage?}: PII screen by the
//                           tenant's policy, then gate.decide under the tenant's gate config and
//                           budget; the decision is signed, stored and audited in one transaction,
//                           and answered 200 accept, 202 escalate or 409 reject
//   GET  /v1/verify/key     the public key that checks the signatures (gate.check_decision)
//   GET  /v1/verify/{id}    a stored decision, to its tenant (a signed read, as cost reads)
//   POST /v1/labels         {verification_id, label: hallucinated | faithful, source?, note?}; the
//                           first label of a (verification, source) rewards the bandit arm that
//                           decided, in the label's transaction
#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "app/app.h"
#include "app/budget.h"
#include "app/facade.h"
#include "app/log.h"
#include "app/tenant_access.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "gate/seal.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/adaptive/adaptive.h"
#include "store/audit/audit.h"
#include "store/policies/policies.h"
#include "store/tenants/tenants.h"
#include "store/usage/usage.h"
#include "store/verify/verify.h"

namespace flk::server {
namespace {

const std::vector<std::string> kRequestFields = {"question", "context", "answer", "task", "citations",
                                                 "samples", "pcs", "pcs_params", "host_votes", "usage"};
const std::vector<std::string> kScreenedFields = {"question", "context", "answer"};

// The request's own fields only: the policy, bands and budget are the tenant's, never the caller's.
bool request_fields(const json::Value& in, Response* err) {
  if (!in.is_object()) {
    *err = content_error(json::wrong_type("$", "an object", in));
    return false;
  }
  for (const auto& [k, v] : in.as_object())
    if (std::find(kRequestFields.begin(), kRequestFields.end(), k) == kRequestFields.end()) {
      *err = content_error(make_error("unknown_field", "unknown field $." + k, "$." + k));
      return false;
    }
  return true;
}

double usd_of(const json::Value* v) {
  if (!v) return 0;
  return v->is_string() ? std::strtod(v->as_string().c_str(), nullptr) : v->as_double();
}

// The tenant's budget window now, when it has a budget.
Result<std::optional<GateSpend>> tenant_spend(App& app, const std::string& tenant, int64_t now) {
  FLK_ASSIGN(StoredBudget budget, tenants::budget(*app.store, tenant));
  if (budget.empty()) return std::optional<GateSpend>();
  FLK_ASSIGN(auto days, budget_days(budget, now));
  FLK_ASSIGN(int64_t spent, usage::spent(*app.store, tenant, days.first, days.second));
  FLK_ASSIGN(json::Value state, budget_state(tenant, budget.json, spent, now));
  return std::optional<GateSpend>(GateSpend{usd_of(state.find("cap_usd")), usd_of(state.find("spent_usd"))});
}

// The config routed by a RiskRoutingPolicy document in place of its bands, with the names its
// expressions read.
void route_by(json::Value& config, const json::Value& routing_policy, const std::string& tenant,
              const json::Value& attributes) {
  json::Value out = json::Value::object();
  for (const auto& [k, v] : config.as_object())
    if (k != "bands") out.set(k, v);
  out.set("routing_policy", routing_policy).set("tenant", tenant).set("attributes", attributes);
  config = std::move(out);
}

json::Value policy_ref(const std::string& kind, const json::Value& name, const json::Value& version, const std::string& hash) {
  return json::Value::object().set("kind", kind).set("name", name).set("version", version).set("hash", hash);
}

// The tenant's gate config with its active policies in force: an EnsemblePolicy's spec is the
// ensemble's policy, a RiskRoutingPolicy routes in place of the config's bands. `used` lists them.
Result<json::Value> with_policies(App& app, const std::string& tenant, const json::Value& attributes, json::Value* used) {
  FLK_ASSIGN(std::vector<PolicyVersion> active, policies::active(*app.store, tenant));
  json::Value config = app.verify->config_of(tenant);
  *used = json::Value::array();
  for (const PolicyVersion& p : active) {
    if (p.kind != "EnsemblePolicy" && p.kind != "RiskRoutingPolicy") continue;
    FLK_ASSIGN(json::Value doc, json::parse(p.doc));
    if (p.kind == "EnsemblePolicy") config.set("policy", *doc.find("spec"));
    else route_by(config, doc, tenant, attributes);
    used->push(policy_ref(p.kind, json::Value(p.name), json::Value(p.doc_version), p.hash).set("store_version", p.version));
  }
  return config;
}

// Voters that answered pass and flag in one decision.
bool voters_disagree(const json::Value& ensemble, json::Value* passed, json::Value* flagged) {
  *passed = json::Value::array();
  *flagged = json::Value::array();
  for (const json::Value& v : ensemble.find("votes")->as_array()) {
    const std::string& kind = v.find("vote")->as_string();
    if (kind == "pass") passed->push(*v.find("voter"));
    if (kind == "flag") flagged->push(*v.find("voter"));
  }
  return !passed->as_array().empty() && !flagged->as_array().empty();
}

void count_decision(VerifyMetrics& m, const std::string& tenant, const json::Value& d) {
  m.decisions.inc({tenant, d.find("action")->as_string()});
  for (const json::Value& v : d.find("ensemble")->find("votes")->as_array()) {
    std::string voter = v.find("voter")->as_string();
    if (voter.rfind("host:", 0) == 0) voter = "host";  // host names are the caller's: one series for all
    const std::string& status = v.find("status")->as_string();
    m.voter_status.inc({voter, status});
    if (status != "skipped") m.voter_latency.observe({voter}, static_cast<double>(v.find("latency_us")->as_int()) / 1e6);
  }
}

// The canary cohort's config: the candidate routes in place of the active policy or the bands,
// and `used` names it in place of the active RiskRoutingPolicy.
void routed_by(json::Value& config, json::Value& used, const CanaryAssignment& cohort, const std::string& tenant,
               const json::Value& attributes) {
  route_by(config, cohort.candidate, tenant, attributes);
  json::Value named = json::Value::array();
  for (const json::Value& p : used.as_array())
    if (p.find("kind")->as_string() != "RiskRoutingPolicy") named.push(p);
  const json::Value& meta = *cohort.candidate.find("metadata");
  named.push(policy_ref("RiskRoutingPolicy", *meta.find("name"), *meta.find("version"), cohort.candidate_hash)
                 .set("canary", cohort.rollout));
  used = std::move(named);
}

// Whether the decision's answer went out: accepted, or held only for retrieval (a rag_required
// routing, which policy.simulate's containment counts as served too).
bool served(const json::Value& d) {
  const json::Value* routing = d.find("routing");
  const bool rag = routing && routing->is_object() && routing->find("action") && routing->find("action")->as_string() == "rag_required";
  for (const json::Value& st : d.find("steps")->as_array())
    if (st.find("action")->as_string() != "accept" && !(rag && st.find("step")->as_string() == "routing")) return false;
  return true;
}

// usage: the request's own, read only when gate.decide took it (its cost_usd a number then).
CanaryObservation canary_observation(const Result<json::Value>& d, const json::Value& usage, const std::string& id,
                                     std::chrono::steady_clock::time_point started, int64_t now) {
  CanaryObservation o;
  o.verification_id = id;
  o.created = now;
  o.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  o.error = !d.ok();
  if (d.ok()) {
    o.escalated = d->find("action")->as_string() != "accept";
    o.served = served(d.value());
    if (usage.is_object()) o.cost_usd = usd_of(usage.find("cost_usd"));
  }
  return o;
}

// After the request's decision was stored (and its observation, unless the cohort was full): an
// evaluation that cannot be stored is logged, the request goes on.
void canary_observed(App& app, const std::string& tenant, const CanaryAssignment& cohort, const Write& w, int64_t now) {
  Status s = app.canary->observed(tenant, cohort, w.won, now);
  if (!s.ok())
    log(LogLevel::error, "canary evaluation failed", json::Value::object().set("tenant", tenant).set("error", s.error().message));
}

// An adaptive EnsemblePolicy's bandit: its state row is keyed by the policy's hash (first 16 hex
// of SHA-256 of its canonical spec); the draws are seeded by the request body's hash. Empty
// when the ensemble policy is not adaptive.
Result<std::string> bandit_input(App& app, const std::string& tenant, const json::Value& config, const std::string& body,
                                 json::Value& gate_in) {
  const json::Value* policy = config.find("policy");
  if (!policy || !policy->is_object() || !policy->find("adaptive")) return std::string();
  const std::string key = crypto::sha256_hex(json::to_string(*policy)).substr(0, 16);
  FLK_ASSIGN(std::string state, adaptive::state(*app.store, tenant, key));
  json::Value b = json::Value::object();
  b.set("key", crypto::sha256_hex(body));
  if (!state.empty()) {
    FLK_ASSIGN(json::Value st, json::parse(state));
    b.set("state", std::move(st));
  }
  gate_in.set("bandit", std::move(b));
  return key;
}

// The decision's voter pairs for the tenant's agreement counters (ensemble.agreement over this
// one decision; every host vote is the voter "host", so the pairs stay few).
Result<std::vector<PairCount>> decision_pairs(const json::Value& ensemble) {
  json::Value votes = json::Value::array();
  for (const json::Value& v : ensemble.find("votes")->as_array()) {
    std::string voter = v.find("voter")->as_string();
    if (voter.rfind("host:", 0) == 0) voter = "host";
    votes.push(json::Value::object().set("voter", voter).set("vote", *v.find("vote")));
  }
  json::Value in = json::Value::object();
  in.set("decisions", json::Value::array().push(json::Value::object().set("votes", std::move(votes))));
  FLK_ASSIGN(json::Value out, thread_engine().call_value("ensemble.agreement", in));
  std::vector<PairCount> pairs;
  for (const json::Value& p : out.find("pairs")->as_array())
    pairs.push_back(PairCount{p.find("a")->as_string(), p.find("b")->as_string(), p.find("both")->as_int(), p.find("agree")->as_int()});
  return pairs;
}

void post_verify(App& app, Request& req, Reply reply) {
  Response err;
  if (!is_json_request(req, &err)) return reply(std::move(err));
  auto t = app.pipeline->authenticate_body(req, &err);
  if (!t) return reply(std::move(err));
  auto in = parse_json_body(req.body, &err);
  if (!in || !request_fields(*in, &err)) return reply(std::move(err));
  auto screened = screen_pii(app.pii.of(t->id), t->id, "/v1/verify", *in, kScreenedFields);
  if (!screened.ok()) return reply(content_error(screened.error()));
  PiiScreen& screen = screened.value();
  if (screen.refusal) return reply_screened(app, screen, *screen.refusal, std::move(reply));

  const int64_t now = now_ms();
  auto spend = tenant_spend(app, t->id, now);
  if (!spend.ok()) return reply(store_failure(spend.error(), spend.error().message, app.metrics));
  VerifyGate& gate = *app.verify;
  json::Value used;
  // What a RiskRoutingPolicy may condition on, kept with the decision for the simulator's replay.
  json::Value attributes = json::Value::object();
  if (const json::Value* task = in->find("task")) attributes.set("task", *task);
  auto config = with_policies(app, t->id, attributes, &used);
  if (!config.ok()) return reply(store_failure(config.error(), config.error().message, app.metrics));
  // A running canary rollout routes its cohort by the candidate (app/canary_hub.h).
  std::optional<CanaryAssignment> cohort;
  if (app.canary) {
    auto assigned = app.canary->assign(t->id, crypto::sha256_hex(req.body));
    if (!assigned.ok()) return reply(store_failure(assigned.error(), assigned.error().message, app.metrics));
    cohort = std::move(assigned.value());
  }
  if (cohort && cohort->canary) routed_by(config.value(), used, *cohort, t->id, attributes);
  const json::Value usage = in->find("usage") ? *in->find("usage") : json::Value();
  json::Value gate_in = gate_input(config.value(), std::move(*in), spend.value());
  auto bandit_key = bandit_input(app, t->id, config.value(), req.body, gate_in);
  if (!bandit_key.ok()) return reply(store_failure(bandit_key.error(), bandit_key.error().message, app.metrics));
  const auto started = std::chrono::steady_clock::now();
  auto d = thread_engine().call_value("gate.decide", gate_in);
  const crypto::Bytes rnd = crypto::random_bytes(16);
  const std::string id = "ver_" + crypto::to_hex(rnd);
  CanaryObservationWrite observation;
  if (cohort) observation = CanaryHub::observation(t->id, *cohort, canary_observation(d, usage, id, started, now));
  if (!d.ok()) {
    if (cohort) {  // a failed decision is observed on its own: there is no decision to store
      std::vector<Write*> one = {&observation};
      if (app.store->apply(one, facade_audit_linker()).ok()) canary_observed(app, t->id, *cohort, observation, now);
    }
    return reply(content_error(d.error()));
  }

  json::Value doc = json::Value::object();
  doc.set("verification_id", id).set("tenant", t->id).set("created", rfc3339_ms(now)).set("decision", d.value());
  if (!used.as_array().empty()) doc.set("policies", std::move(used));
  if (!bandit_key->empty()) doc.set("bandit", json::Value::object().set("policy", bandit_key.value()));
  doc.set("attributes", std::move(attributes));
  if (cohort) doc.set("canary", json::Value::object().set("rollout", cohort->rollout).set("cohort", cohort->canary ? "canary" : "baseline"));
  if (!screen.report.is_null()) doc.set("pii", screen.report);
  doc = gate::seal(std::move(doc), gate.seed());
  const std::string body = json::to_string(doc);

  VerificationWrite vw;
  vw.tenant = t->id;
  vw.id = id;
  vw.v = Verification{t->id, id, d->find("action")->as_string(), now, d->find("policy_id")->as_string(), body};
  json::Value data = json::Value::object();
  data.set("verification_id", id).set("action", vw.v.action).set("decision_sha256", crypto::sha256_hex(body));
  for (const char* k : {"votes_sha256", "policy_id", "model_id", "params_id"}) data.set(k, *d->find(k));
  data.set("degraded", *d->find("ensemble")->find("degraded"));
  vw.audit = AuditDraft{"verify.decided", t->id, std::move(data), now};
  AgreementWrite pairs;
  pairs.tenant = t->id;
  pairs.id = id;
  auto decided_pairs = decision_pairs(*d->find("ensemble"));
  if (!decided_pairs.ok()) return reply(content_error(decided_pairs.error()));
  pairs.pairs = std::move(decided_pairs.value());
  std::vector<Write*> writes = {&vw, &pairs};
  if (cohort) writes.push_back(&observation);
  AuditOnlyWrite disagreement, pii;
  json::Value passed, flagged;
  const bool disagree = voters_disagree(*d->find("ensemble"), &passed, &flagged);
  if (disagree) {
    disagreement.tenant = t->id;
    json::Value e = json::Value::object();
    e.set("verification_id", id).set("passed", std::move(passed)).set("flagged", std::move(flagged));
    e.set("action", vw.v.action);
    disagreement.audit = AuditDraft{"verify.disagreement", t->id, std::move(e), now};
    writes.push_back(&disagreement);
  }
  if (screen.audit) {
    pii.tenant = t->id;
    pii.audit = *screen.audit;
    writes.push_back(&pii);
  }
  Status stored = app.store->apply(writes, facade_audit_linker());
  if (!stored.ok()) return reply(store_failure(stored, "the decision could not be stored", app.metrics));
  for (Write* w : writes)
    if (w->won) app.metrics.audit_entries.inc();
  if (cohort) canary_observed(app, t->id, *cohort, observation, now);
  count_decision(gate.metrics, t->id, d.value());
  if (const json::Value* arm = d->find("adaptive")) gate.metrics.arms.inc({t->id, arm->find("arm")->as_string()});
  if (disagree) gate.metrics.disagreements.inc({t->id});
  Response r = json_answer(doc);
  r.status = static_cast<int>(d->find("http_status")->as_int());
  reply(std::move(r));
}

void get_key(App& app, Request&, Reply reply) {
  const crypto::PublicKey& pk = app.verify->public_key();
  json::Value o = json::Value::object();
  o.set("alg", "ed25519").set("key_id", gate::key_id(pk)).set("public_key_b64", crypto::to_base64(pk.data(), pk.size()));
  reply(json_answer(o));
}

void get_verification(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"ts"}, &err)) return reply(std::move(err));
  auto t = reader(app, req, named_tenant(req), &err);
  if (!t) return reply(std::move(err));
  auto v = verify::verification(*app.store, t->id, req.params["id"]);
  if (!v.ok()) return reply(store_failure(v.error(), v.error().message, app.metrics));
  if (!v.value()) return reply(error_response(404, "unknown_verification", "no verification " + req.params["id"]));
  Response r;
  r.body = v.value()->body;
  reply(std::move(r));
}

bool source_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'; }

Result<VerificationLabel> read_label(const json::Value& in, const std::string& tenant) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  VerificationLabel l;
  l.tenant = tenant;
  FLK_ASSIGN(l.id, r.string("verification_id", 64));
  FLK_ASSIGN(std::string label, r.string("label", 16));
  if (label != "hallucinated" && label != "faithful")
    return make_error("out_of_range", "$.label must be hallucinated or faithful", "$.label");
  l.hallucinated = label == "hallucinated";
  FLK_ASSIGN(auto source, r.opt_string("source", 64));
  l.source = source.value_or("human");
  if (l.source.empty() || !std::all_of(l.source.begin(), l.source.end(), source_char))
    return make_error("bad_format", "$.source is 1 to 64 of [a-z0-9_.-]", "$.source");
  FLK_ASSIGN(auto note, r.opt_string("note", 1024));
  l.note = note.value_or("");
  FLK_TRY(r.finish());
  return l;
}

// Agreement of the tenant's labelled decisions: accept agrees with faithful, escalate and reject
// with hallucinated.
json::Value agreement_json(const std::vector<verify::AgreementCell>& cells, double* ratio) {
  int64_t labelled = 0, agreed = 0;
  json::Value by = json::Value::object();
  for (const auto& c : cells) {
    labelled += c.count;
    if ((c.action == "accept") != c.hallucinated) agreed += c.count;
    by.set(c.action + (c.hallucinated ? ".hallucinated" : ".faithful"), c.count);
  }
  *ratio = labelled ? static_cast<double>(agreed) / static_cast<double>(labelled) : 0;
  json::Value o = json::Value::object();
  o.set("labelled", labelled).set("agreed", agreed).set("ratio", *ratio).set("by_action", std::move(by));
  return o;
}

// The bandit reward a label gives the arm that made the decision (none when its policy was not
// adaptive): ensemble.bandit.update on the stored state, with the decision's action, the
// ensemble's modeled latency as its cost and the reward's parameters as the decision recorded them.
Result<bool> bandit_reward(App& app, const VerificationLabel& l, BanditRewardWrite& w, json::Value* reward) {
  FLK_ASSIGN(auto v, verify::verification(*app.store, l.tenant, l.id));
  if (!v) return false;
  FLK_ASSIGN(json::Value doc, json::parse(v->body));
  const json::Value* bandit = doc.find("bandit");
  const json::Value* d = doc.find("decision");
  const json::Value* arm = d ? d->find("adaptive") : nullptr;
  if (!bandit || !arm) return false;
  json::Value update = json::Value::object();
  update.set("arm", *arm->find("arm")).set("label", l.hallucinated ? 1 : 0).set("decision", *d->find("action"));
  update.set("cost", *d->find("ensemble")->find("latency_us")).set("cost_scale", *arm->find("cost_scale_us"));
  update.set("cost_weight", *arm->find("cost_weight")).set("discount", *arm->find("discount"));
  w.tenant = l.tenant;
  w.id = l.id;
  w.source = l.source;
  w.policy = bandit->find("policy")->as_string();
  w.now = l.created;
  w.next = [update, reward](const std::string& state) mutable -> Result<std::string> {
    if (!state.empty()) {
      FLK_ASSIGN(json::Value st, json::parse(state));
      update.set("state", std::move(st));
    }
    FLK_ASSIGN(json::Value out, thread_engine().call_value("ensemble.bandit.update", update));
    *reward = json::Value::object().set("arm", *update.find("arm")).set("reward", *out.find("reward"));
    return json::to_string(*out.find("state"));
  };
  return true;
}

void post_label(App& app, Request& req, Reply reply) {
  Response err;
  if (!is_json_request(req, &err)) return reply(std::move(err));
  auto t = app.pipeline->authenticate_body(req, &err);
  if (!t) return reply(std::move(err));
  auto in = parse_json_body(req.body, &err);
  if (!in) return reply(std::move(err));
  auto l = read_label(*in, t->id);
  if (!l.ok()) return reply(content_error(l.error()));
  LabelWrite w;
  w.tenant = t->id;
  w.id = l->id;
  l->created = now_ms();
  w.label = l.value();
  const char* label = l->hallucinated ? "hallucinated" : "faithful";
  json::Value data = json::Value::object();
  data.set("verification_id", l->id).set("label", label).set("source", l->source);
  w.audit = AuditDraft{"verify.labelled", t->id, std::move(data), l->created};
  BanditRewardWrite reward;
  json::Value rewarded;
  auto adaptive = bandit_reward(app, w.label, reward, &rewarded);
  if (!adaptive.ok()) return reply(store_failure(adaptive.error(), adaptive.error().message, app.metrics));
  std::vector<Write*> one = {&w};
  if (adaptive.value()) one.push_back(&reward);
  Status stored = app.store->apply(one, facade_audit_linker());
  if (!stored.ok()) return reply(store_failure(stored, "the label could not be stored", app.metrics));
  if (!w.won) return reply(error_response(404, make_error("unknown_verification", "tenant \"" + t->id + "\" has no verification " + l->id, "$.verification_id")));
  app.metrics.audit_entries.inc();
  auto cells = verify::agreement(*app.store, t->id);
  if (!cells.ok()) return reply(store_failure(cells.error(), cells.error().message, app.metrics));
  double ratio = 0;
  json::Value o = json::Value::object();
  o.set("verification_id", l->id).set("label", label).set("source", l->source).set("agreement", agreement_json(cells.value(), &ratio));
  if (reward.won) o.set("bandit", std::move(rewarded));
  app.verify->metrics.labels.inc({t->id, label});
  app.verify->metrics.label_agreement.set({t->id}, ratio);
  reply(json_answer(o));
}

}  // namespace

std::vector<Route> verify_routes(App& app) {
  return {
      {"POST", "/v1/verify", [&app](Request& req, Reply reply) { post_verify(app, req, std::move(reply)); }},
      {"GET", "/v1/verify/key", [&app](Request& req, Reply reply) { get_key(app, req, std::move(reply)); }},
      {"GET", "/v1/verify/{id}", [&app](Request& req, Reply reply) { get_verification(app, req, std::move(reply)); }},
      {"POST", "/v1/labels", [&app](Request& req, Reply reply) { post_label(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
