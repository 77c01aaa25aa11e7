// The verification gate as ops: gate.decide (voters -> routing band -> budget -> one action, the
// code flk-server's POST /v1/verify and the edge hosts' POST /verify share) and
// gate.seal_decision / gate.check_decision (sign a decision as the server does; re-verify it).
#include "crypto/hash.h"
#include "facade/bandit_input.h"
#include "facade/ensemble_verify.h"
#include "facade/hrs_registry.h"
#include "facade/policy_input.h"
#include "facade/registry.h"
#include "facade/routing_cache.h"
#include "facade/routing_input.h"
#include "gate/decide.h"
#include "gate/seal.h"
#include "json/write.h"
#include "policy/router.h"

namespace flk {
namespace {

constexpr double kMaxUsd = 1e12;
constexpr int64_t kMaxTokens = int64_t{1} << 40;

// usage: the LLM call that produced the answer; only cost_usd enters the decision.
Result<double> read_usage(json::ObjectReader& outer) {
  const json::Value* v = outer.optional("usage");
  if (!v) return 0.0;
  FLK_ASSIGN(auto r, json::ObjectReader::open(*v, outer.path_of("usage")));
  FLK_TRY(r.opt_string("model", 128));
  FLK_TRY(r.opt_integer("input_tokens", 0, kMaxTokens));
  FLK_TRY(r.opt_integer("output_tokens", 0, kMaxTokens));
  FLK_ASSIGN(auto cost, r.opt_number("cost_usd", {0, kMaxUsd}));
  FLK_TRY(r.finish());
  return cost.value_or(0.0);
}

Result<std::optional<gate::BudgetRule>> read_budget(json::ObjectReader& outer) {
  const json::Value* v = outer.optional("budget");
  if (!v) return std::optional<gate::BudgetRule>();
  FLK_ASSIGN(auto r, json::ObjectReader::open(*v, outer.path_of("budget")));
  gate::BudgetRule b;
  FLK_ASSIGN(b.cap_usd, r.number("cap_usd", {0, kMaxUsd}));
  FLK_ASSIGN(b.spent_usd, r.number("spent_usd", {0, kMaxUsd}));
  FLK_ASSIGN(auto mode, r.opt_string("on_exceeded", 16));
  if (mode && (!gate::parse_action(*mode, b.on_exceeded) || b.on_exceeded == gate::Action::kAccept))
    return make_error("out_of_range", r.path_of("on_exceeded") + " must be reject or escalate", r.path_of("on_exceeded"));
  FLK_TRY(r.finish());
  return std::optional<gate::BudgetRule>(b);
}

// The score the bands route on: the stacker's probability, else the risk voter's score.
std::optional<std::pair<double, const char*>> routing_risk(const json::Value& verdict) {
  if (const json::Value* p = verdict.find("probability")) return std::make_pair(p->as_double(), "stacker");
  for (const json::Value& v : verdict.find("votes")->as_array())
    if (v.find("voter")->as_string() == "risk" && v.find("status")->as_string() == "ok")
      return std::make_pair(v.find("score")->as_double(), "risk");
  return std::nullopt;
}

json::Value or_null(const json::Value* v) { return v ? *v : json::Value(); }

// A RiskRoutingPolicy's action as the gate's: served as is or with a cheaper budget or in another
// region (the routing block says which), held back for retrieval or a person, or refused.
gate::Action gate_action(const std::string& policy_action) {
  if (policy_action == "reject") return gate::Action::kReject;
  if (policy_action == "rag_required" || policy_action == "human_review") return gate::Action::kEscalate;
  return gate::Action::kAccept;
}

// The tenant's RiskRoutingPolicy, when the caller gives one in place of bands.
struct PolicyRouting {
  const CompiledRouting* policy;
  std::string tenant;
  json::Value attributes;
};

Result<std::optional<PolicyRouting>> read_routing_policy(Engine& e, json::ObjectReader& r) {
  const json::Value* doc = r.optional("routing_policy");
  FLK_ASSIGN(auto tenant, r.opt_string("tenant", 128));
  const json::Value* attributes = r.optional("attributes");
  if (!doc) {
    if (tenant || attributes)
      return make_error("unknown_field", "$.tenant and $.attributes go with $.routing_policy", tenant ? "$.tenant" : "$.attributes");
    return std::optional<PolicyRouting>();
  }
  if (r.optional("bands")) return make_error("out_of_range", "$.bands and $.routing_policy exclude each other", "$.bands");
  if (attributes && !attributes->is_object()) return json::wrong_type("$.attributes", "an object", *attributes);
  FLK_ASSIGN(const CompiledRouting* policy, compiled_routing(e, *doc, "$.routing_policy"));
  return std::optional<PolicyRouting>(
      PolicyRouting{policy, tenant.value_or(""), attributes ? *attributes : json::Value::object()});
}

// policy.adaptive (docs/ensemble.md, "Adaptive per tenant"): every arm's policy is checked, one
// is chosen by Thompson sampling over the caller's bandit state with the draws seeded by
// bandit.key (default: the request as given), and its policy is the one that runs. `arm` gets
// what a label needs later to reward it: the arm, its draws and the reward's parameters.
Result<ensemble_io::Settings> adaptive_settings(json::ObjectReader& r, const json::Value& in, json::Value& arm) {
  const json::Value* policy = r.optional("policy");
  const json::Value* bandit = r.optional("bandit");
  const json::Value* adaptive = policy && policy->is_object() ? policy->find("adaptive") : nullptr;
  if (!adaptive) {
    if (bandit) return make_error("unknown_field", "$.bandit goes with $.policy.adaptive", "$.bandit");
    return ensemble_io::read_policy(policy ? *policy : json::Value::object(), "$.policy");
  }
  std::optional<bandit_io::Adaptive> checked;
  FLK_TRY(bandit_io::check_policy(*policy, "$.policy", &checked));
  const bandit_io::Adaptive& a = *checked;
  std::vector<ensemble::ArmState> stored;
  std::string key = json::to_string(in);
  if (bandit) {
    FLK_ASSIGN(auto b, json::ObjectReader::open(*bandit, "$.bandit"));
    if (const json::Value* st = b.optional("state")) {
      FLK_ASSIGN(stored, bandit_io::read_state(*st, "$.bandit.state"));
    }
    FLK_ASSIGN(auto k, b.opt_string("key", 4096));
    FLK_TRY(b.finish());
    if (k) key = *k;
  }
  const std::vector<ensemble::ArmState> arms = bandit_io::with_state(a.names, stored);
  const ensemble::Choice c = ensemble::choose(arms, key);
  arm = json::Value::object();
  arm.set("arm", a.names[c.arm]).set("draws", bandit_io::draws_json(arms, c)).set("cost_weight", a.cost_weight);
  arm.set("cost_scale_us", a.cost_scale_us).set("discount", a.discount);
  return ensemble_io::read_policy(bandit_io::arm_policy(*policy, a.configs[c.arm]), json::index_path("$.policy.adaptive.arms", c.arm));
}

Result<json::Value> op_decide(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  ensemble::Request req;
  FLK_TRY(ensemble_io::read_request(r, req));
  json::Value arm;
  FLK_ASSIGN(ensemble_io::Settings s, adaptive_settings(r, in, arm));
  gate::Inputs gi;
  FLK_ASSIGN(std::optional<PolicyRouting> pr, read_routing_policy(e, r));
  FLK_ASSIGN(gi.bands, routing_io::read_policy(r.optional("bands")));
  FLK_ASSIGN(gi.budget, read_budget(r));
  FLK_ASSIGN(gi.cost_usd, read_usage(r));
  FLK_TRY(r.finish());

  FLK_ASSIGN(json::Value verdict, ensemble_io::verify(e, req, s));
  gate::parse_action(verdict.find("decision")->as_string(), gi.ensemble);
  if (const json::Value* reason = verdict.find("reason")) gi.ensemble_reason = reason->as_string();
  const auto risk = routing_risk(verdict);
  if (risk) gi.risk = risk->first;
  policy::Decision routed;
  if (pr) {
    policy::Request q;
    q.tenant = pr->tenant;
    q.risk = risk ? risk->first : 0;
    q.scorer_failed = !risk;
    q.attributes = pr->attributes;
    FLK_ASSIGN(routed, pr->policy->router.decide(q));
    if (routed.applies)
      gi.routed = gate::Routed{gate_action(routed.action), "policy " + pr->policy->bundle.name + ": " +
                                                               (routed.band.empty() ? "" : "band " + routed.band + ": ") +
                                                               routed.action + " (" + routed.reason + ")"};
  }
  const gate::Decision d = gate::decide(gi);

  json::Value steps = json::Value::array();
  for (const gate::Step& st : d.steps) {
    json::Value o = json::Value::object();
    o.set("step", st.step).set("action", gate::action_name(st.action)).set("reason", st.reason);
    steps.push(std::move(o));
  }
  json::Value routing;
  if (gi.routed) {
    routing = json::Value::object();
    if (risk) routing.set("risk", risk->first).set("risk_from", risk->second);
    routing.set("band", routed.band).set("action", routed.action).set("reason", routed.reason);
    if (routed.budget_factor) routing.set("budget_factor", *routed.budget_factor);
    if (!routed.region.empty()) routing.set("region", routed.region);
    routing.set("policy", json::Value::object()
                              .set("name", pr->policy->bundle.name)
                              .set("version", pr->policy->bundle.version)
                              .set("hash", pr->policy->bundle.hash));
  } else if (d.band) {
    routing = json::Value::object();
    routing.set("risk", risk->first).set("risk_from", risk->second).set("band", d.band->name);
    routing.set("action", routing::action_name(d.band->action)).set("min_risk", d.band->min_risk).set("max_risk", d.band->max_risk);
  }
  json::Value budget;
  if (gi.budget) {
    budget = json::Value::object();
    budget.set("cap_usd", gi.budget->cap_usd).set("spent_usd", gi.budget->spent_usd).set("cost_usd", gi.cost_usd);
    budget.set("exceeded", d.over_budget).set("on_exceeded", gate::action_name(gi.budget->on_exceeded));
  }
  // The policy id names the tenant's configuration as given (spend excluded: it changes per request).
  json::Value policy = json::Value::object();
  policy.set("policy", or_null(in.find("policy"))).set("bands", or_null(in.find("bands")));
  if (pr) policy.set("routing_policy", pr->policy->bundle.hash);
  json::Value rule;
  if (gi.budget) {
    rule = json::Value::object();
    rule.set("cap_usd", gi.budget->cap_usd).set("on_exceeded", gate::action_name(gi.budget->on_exceeded));
  }
  policy.set("budget", std::move(rule));
  FLK_ASSIGN(auto model, hrs_io::default_model(e));

  json::Value out = json::Value::object();
  out.set("action", gate::action_name(d.action)).set("http_status", static_cast<int64_t>(gate::http_status(d.action)));
  out.set("steps", std::move(steps)).set("routing", std::move(routing)).set("budget", std::move(budget));
  out.set("votes_sha256", crypto::sha256_hex(json::to_string(*verdict.find("votes"))));
  out.set("policy_id", crypto::sha256_hex(json::to_string(policy)).substr(0, 16));
  out.set("model_id", model->id).set("params_id", *verdict.find("params_id"));
  out.set("ensemble", std::move(verdict));
  if (!arm.is_null()) out.set("adaptive", std::move(arm));
  return out;
}

// The decision object and a fixed-size key (<stem>_hex or <stem>_b64) of the sealing ops.
template <size_t N>
Result<const json::Value*> read_sealing(json::ObjectReader& r, const char* stem, std::array<uint8_t, N>& key,
                                        const char* what) {
  FLK_ASSIGN(const json::Value* doc, r.required("decision"));
  if (!doc->is_object()) return json::wrong_type("$.decision", "an object", *doc);
  FLK_ASSIGN(crypto::Bytes bytes, r.bytes(stem, false));
  FLK_TRY(r.finish());
  const std::string path = r.path_of(stem);
  if (bytes.size() != N) return make_error("bad_length", path + ": " + what + " has " + std::to_string(N) + " bytes", path);
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return doc;
}

Result<json::Value> op_check(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  crypto::PublicKey pk;
  FLK_ASSIGN(const json::Value* doc, read_sealing(r, "public_key", pk, "an Ed25519 public key"));
  const gate::SealCheck c = gate::check_seal(*doc, pk);
  json::Value out = json::Value::object();
  out.set("valid", c == gate::SealCheck::kValid).set("result", gate::seal_check_name(c));
  out.set("key_id", gate::key_id(pk)).set("verification_id", or_null(doc->find("verification_id")));
  return out;
}

Result<json::Value> op_seal(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  crypto::Seed seed;
  FLK_ASSIGN(const json::Value* doc, read_sealing(r, "seed", seed, "an Ed25519 seed"));
  return gate::seal(*doc, seed);
}

}  // namespace

void add_gate_decide_ops(std::vector<OpSpec>& t) {
  static const std::string decide_in =
      std::string("Ops['ensemble.verify']['input'] & { bands?: { name: string; min_risk: number; max_risk: "
                  "number; action: 'accept' | 'rag_required' | 'human_review' | 'reject' }[]; routing_policy?: PolicyDocument; "
                  "tenant?: string; attributes?: Record<string, unknown>; budget?: { cap_usd: "
                  "number; spent_usd: number; on_exceeded?: 'reject' | 'escalate' }; usage?: { model?: string; "
                  "input_tokens?: number; output_tokens?: number; cost_usd?: number }; bandit?: { state?: { arms: "
                  "Record<string, { alpha: number; beta: number; pulls: number; cost_sum: number }> }; key?: string } }");
  t.push_back({"gate.decide",
               "The verification gate's one decision: the ensemble's voters, then the routing band of the risk, then "
               "the budget; accept (200), escalate (202) or reject (409), with every step.",
               decide_in.c_str(),
               "{ action: 'accept' | 'escalate' | 'reject'; http_status: 200 | 202 | 409; steps: { step: 'ensemble' | "
               "'routing' | 'budget'; action: 'accept' | 'escalate' | 'reject'; reason: string }[]; routing: { risk: "
               "number; risk_from: 'stacker' | 'risk'; band: string; action: string; min_risk: number; max_risk: number "
               "} | { risk?: number; risk_from?: 'stacker' | 'risk'; band: string; action: string; reason: string; "
               "budget_factor?: number; region?: string; policy: { name: string; version: number; hash: string } } | null; budget: { cap_usd: number; spent_usd: number; cost_usd: number; exceeded: boolean; "
               "on_exceeded: 'reject' | 'escalate' } | null; votes_sha256: string; policy_id: string; model_id: string; "
               "params_id: string; ensemble: Ops['ensemble.verify']['output']; adaptive?: { arm: string; draws: "
               "Record<string, number>; cost_weight: number; cost_scale_us: number; discount: number } }",
               op_decide});
}

void add_gate_seal_ops(std::vector<OpSpec>& t) {
  t.push_back({"gate.check_decision",
               "Re-verifies a gate decision signed by flk-server (POST /v1/verify) against the server's Ed25519 "
               "public key.",
               "{ decision: Record<string, unknown>; public_key_hex?: string; public_key_b64?: string }",
               "{ valid: boolean; result: 'valid' | 'no_signature' | 'other_key' | 'bad_signature'; key_id: string; "
               "verification_id: unknown }",
               op_check});
  t.push_back({"gate.seal_decision",
               "Signs a gate decision as flk-server does (Ed25519 over its canonical JSON without \"signature\").",
               "{ decision: Record<string, unknown>; seed_hex?: string; seed_b64?: string }",
               "Record<string, unknown> & { signature: { alg: 'ed25519'; key_id: string; sig_b64: string } }", op_seal});
}

}  // namespace flk
