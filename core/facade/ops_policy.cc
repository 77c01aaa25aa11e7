// Policy documents as ops (docs/policy.md): validate, hash, sign, verify, the schema, evaluation
// of a request and the simulator. Every op loads the whole document first; nothing acts on a
// document that failed a check.
#include "crypto/hash.h"
#include "facade/policy_input.h"
#include "facade/registry.h"
#include "json/write.h"
#include "policy/kinds.h"
#include "policy/router.h"
#include "policy/schema.h"
#include "policy/simulate.h"

namespace flk {
namespace {

// Work of replaying requests: the expressions' cost times the attribute bytes they may copy.
constexpr double kMaxReplayWork = 4e9;

json::Value identity(const policy::Bundle& b) {
  return json::Value::object().set("name", b.name).set("version", b.version).set("kind", b.kind).set("hash", b.hash);
}

template <size_t N>
Result<std::optional<std::array<uint8_t, N>>> opt_key(json::ObjectReader& r, const char* stem) {
  FLK_ASSIGN(auto b, r.opt_bytes(stem, /*allow_text=*/false));
  if (!b) return std::optional<std::array<uint8_t, N>>();
  if (b->size() != N)
    return make_error("bad_length", r.path_of(stem) + " must be " + std::to_string(N) + " bytes", r.path_of(stem));
  std::array<uint8_t, N> a;
  std::copy(b->begin(), b->end(), a.begin());
  return std::optional<std::array<uint8_t, N>>(a);
}

Result<json::Value> op_validate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  FLK_TRY(r.finish());
  json::Value out = identity(b);
  out.set("valid", true).set("signature", policy::signature_state_name(policy::verify(b.doc, nullptr)));
  return out;
}

Result<json::Value> op_hash(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  FLK_TRY(r.finish());
  return identity(b).set("canonical", policy::canonical(b.doc));
}

Result<json::Value> op_sign(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  FLK_ASSIGN(auto seed, opt_key<32>(r, "seed"));
  if (!seed) return make_error("missing_field", "$.seed_hex or $.seed_b64 is required", "$.seed_hex");
  FLK_TRY(r.finish());
  json::Value signed_doc = policy::sign(b.doc, *seed);
  return identity(b).set("policy", std::move(signed_doc));
}

Result<json::Value> op_verify(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  FLK_ASSIGN(auto key, opt_key<32>(r, "public_key"));
  FLK_TRY(r.finish());
  policy::SignatureState s = policy::verify(b.doc, key ? &*key : nullptr);
  return identity(b).set("signature", policy::signature_state_name(s)).set("valid", s == policy::SignatureState::kValid);
}

// YAML text to the JSON value it stands for, not checked as a policy: what a .yaml file means
// to every op that takes `policy_yaml`.
Result<json::Value> op_from_yaml(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* text, r.required("text"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(json::Value doc, policy_io::read_yaml(*text, "$.text"));
  return json::Value::object().set("document", std::move(doc));
}

Result<json::Value> op_schema(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  json::Value kinds = json::Value::array();
  for (const char* const* k = policy::kKinds; *k; ++k) kinds.push(policy::json_schema(*policy::document_shape(*k)));
  json::Value schema = json::Value::object();
  schema.set("$schema", "https://json-schema.org/draft/2020-12/schema")
      .set("$id", "https://fractal-lba.dev/policy.schema.json")
      .set("title", "Fractal LBA policy document (" + std::string(policy::kApiVersion) + ")")
      .set("oneOf", std::move(kinds));
  return json::Value::object().set("schema", std::move(schema));
}

json::Value decision_json(const policy::Decision& d) {
  json::Value out = json::Value::object();
  out.set("applies", d.applies);
  if (!d.applies) return out;
  out.set("action", d.action).set("reason", d.reason);
  if (!d.band.empty()) out.set("band", d.band);
  if (d.budget_factor) out.set("budget_factor", *d.budget_factor);
  if (!d.region.empty()) out.set("region", d.region);
  if (d.override_index >= 0) out.set("override", int64_t(d.override_index));
  return out;
}

Status check_replay_work(const policy::Router& router, const std::vector<const json::Value*>& attributes,
                         const std::string& path) {
  double work = 0;
  for (const json::Value* a : attributes)
    work += double(router.cost()) * double(256 + (a && a->is_object() ? json::to_string(*a).size() : 0));
  if (work > kMaxReplayWork)
    return make_error("too_large", path + ": the requests' attributes times the policy's expression cost exceed the work "
                                          "bound (docs/limits.md)", path);
  return Ok{};
}

Result<json::Value> evaluate_budget(const policy::Bundle& b, const json::Value& req, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(req, path));
  FLK_ASSIGN(auto day, r.opt_number("spent_today_usd", {0, 1e12}));
  FLK_ASSIGN(auto month, r.opt_number("spent_month_usd", {0, 1e12}));
  FLK_ASSIGN(auto cost, r.opt_number("request_cost_usd", {0, 1e12}));
  FLK_TRY(r.finish());
  const json::Value& spec = *b.doc.find("spec");
  double warn_at = spec.find("warn_at") ? spec.find("warn_at")->as_double() : 0.8;
  std::string state = "ok";
  double used = 0;  // the largest share of a limit used, the request included
  auto use = [&](const char* limit, std::optional<double> spent) {
    const json::Value* l = spec.find(limit);
    if (!l) return;
    double s = spent.value_or(0) + cost.value_or(0);
    double share = l->as_double() > 0 ? s / l->as_double() : (s > 0 ? 2.0 : 0.0);
    if (share > used) used = share;
  };
  use("daily_limit_usd", day);
  use("monthly_limit_usd", month);
  const json::Value* per = spec.find("per_request_limit_usd");
  bool too_costly = per && cost && *cost > per->as_double();
  if (used > 1 || too_costly) state = "exhausted";
  else if (used >= warn_at) state = "warn";
  std::string action = "accept";
  json::Value out = json::Value::object();
  if (state == "exhausted") {
    const std::string& on = spec.find("on_exhausted")->as_string();
    action = on == "reject" ? "reject" : on == "degrade" ? "reduce_budget" : "accept";
    if (on == "degrade") out.set("budget_factor", spec.find("degrade_factor")->as_double());
  }
  return out.set("state", state).set("action", action).set("used", used).set("applies", true);
}

Result<json::Value> op_evaluate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle b, policy_io::load_field(r, "policy"));
  const json::Value* req = r.optional("request");
  FLK_TRY(r.finish());
  json::Value out;
  if (b.kind == "RiskRoutingPolicy") {
    if (!req) return make_error("missing_field", "$.request is required for a RiskRoutingPolicy", "$.request");
    FLK_ASSIGN(policy::Request q, policy_io::read_request(*req, "$.request"));
    FLK_ASSIGN(policy::Router router, policy::Router::make(b, "$.policy"));
    FLK_TRY(check_replay_work(router, {&q.attributes}, "$.request"));
    FLK_ASSIGN(policy::Decision d, router.decide(q));
    out = decision_json(d);
  } else if (b.kind == "EnsemblePolicy") {
    if (req) return make_error("unknown_field", "$.request: an EnsemblePolicy takes no request", "$.request");
    out = json::Value::object().set("applies", true).set("ensemble_policy", *b.doc.find("spec"));
  } else if (b.kind == "BudgetPolicy") {
    FLK_ASSIGN(out, evaluate_budget(b, req ? *req : json::Value::object(), "$.request"));
  } else {
    return make_error("out_of_range", "$.policy.kind: a CanaryPolicy is evaluated by canary.gate and canary.step",
                      "$.policy.kind");
  }
  return out.set("policy", identity(b));
}

json::Value counts(const std::map<std::string, size_t>& m) {
  json::Value out = json::Value::object();
  for (const auto& kv : m) out.set(kv.first, int64_t(kv.second));
  return out;
}

Result<json::Value> op_simulate(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(policy::Bundle cand, policy_io::load_field(r, "policy"));
  FLK_ASSIGN(policy::Router candidate, policy::Router::make(cand, "$.policy"));
  FLK_ASSIGN(std::optional<policy::Bundle> base, policy_io::opt_load_field(r, "baseline"));
  std::optional<policy::Router> baseline;
  if (base) {
    FLK_ASSIGN(baseline, policy::Router::make(*base, "$.baseline"));
  }
  FLK_ASSIGN(const json::Value* tv, r.required("trace"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(std::vector<policy::TraceRecord> trace, policy_io::read_trace(*tv, "$.trace"));
  std::vector<const json::Value*> attrs;
  for (const auto& t : trace) attrs.push_back(&t.request.attributes);
  FLK_TRY(check_replay_work(candidate, attrs, "$.trace"));
  if (baseline) FLK_TRY(check_replay_work(*baseline, attrs, "$.trace"));
  FLK_ASSIGN(policy::SimulationReport rep, policy::simulate(candidate, baseline ? &*baseline : nullptr, trace, "$.trace"));
  json::Value ids = json::Value::array();
  for (const auto& id : rep.changed_ids) ids.push(id);
  json::Value out = json::Value::object();
  out.set("policy", identity(cand))
      .set("requests", int64_t(rep.requests))
      .set("changed", int64_t(rep.changed))
      .set("not_governed", int64_t(rep.not_governed))
      .set("actions", json::Value::object().set("baseline", counts(rep.baseline_actions)).set("candidate", counts(rep.candidate_actions)))
      .set("transitions", counts(rep.transitions))
      .set("escalation", json::Value::object()
                             .set("baseline", rep.baseline_escalation)
                             .set("candidate", rep.candidate_escalation)
                             .set("delta", rep.candidate_escalation - rep.baseline_escalation))
      .set("containment", json::Value::object()
                              .set("hallucinated", int64_t(rep.labelled_hallucinated))
                              .set("baseline", rep.baseline_containment)
                              .set("candidate", rep.candidate_containment)
                              .set("delta", rep.candidate_containment - rep.baseline_containment))
      .set("cost_usd", json::Value::object()
                           .set("baseline", rep.baseline_cost_usd)
                           .set("candidate", rep.candidate_cost_usd)
                           .set("delta", rep.candidate_cost_usd - rep.baseline_cost_usd)
                           .set("unknown", int64_t(rep.cost_unknown)))
      .set("labelled_changes", json::Value::object()
                                   .set("newly_contained", int64_t(rep.newly_contained))
                                   .set("newly_served_hallucinated", int64_t(rep.newly_served_hallucinated))
                                   .set("newly_escalated_fine", int64_t(rep.newly_escalated_fine))
                                   .set("newly_served_fine", int64_t(rep.newly_served_fine)))
      .set("changed_ids", std::move(ids));
  if (base) out.set("baseline", identity(*base));
  return out;
}

}  // namespace

void add_policy_ops(std::vector<OpSpec>& t) {
  t.push_back({"policy.validate", "Validates a policy document (errors at the exact path) and reports its id, hash and signature state.",
               "PolicyInput",
               "{ name: string; version: number; kind: PolicyKind; hash: string; valid: true; signature: 'absent' | 'valid' | 'invalid' }",
               op_validate});
  t.push_back({"policy.hash", "The canonical hash of a policy document: sha256 of its canonical JSON without the signature.",
               "PolicyInput", "{ name: string; version: number; kind: PolicyKind; hash: string; canonical: string }",
               op_hash});
  t.push_back({"policy.sign", "Signs a policy document with Ed25519 (the signature covers the canonical JSON without it).",
               "PolicyInput & { seed_hex?: string; seed_b64?: string }",
               "{ name: string; version: number; kind: PolicyKind; hash: string; policy: PolicyDocument }", op_sign});
  t.push_back({"policy.verify", "Checks a policy document's signature, optionally against an expected public key.",
               "PolicyInput & { public_key_hex?: string; public_key_b64?: string }",
               "{ name: string; version: number; kind: PolicyKind; hash: string; valid: boolean; signature: 'absent' | "
               "'valid' | 'invalid' | 'wrong_key' }",
               op_verify});
  t.push_back({"policy.from_yaml",
               "Reads YAML text (the subset in docs/policy.md: no anchors, aliases, tags or merge keys; one document) into "
               "the JSON value it stands for, without checking it as a policy.",
               "{ text: string }", "{ document: unknown }", op_from_yaml});
  t.push_back({"policy.schema", "The JSON Schema of policy documents, generated from the tables the validator reads.", "{}",
               "{ schema: Record<string, unknown> }", op_schema});
  t.push_back({"policy.evaluate",
               "Applies a policy: a RiskRoutingPolicy to a request (action, band, reason), a BudgetPolicy to spend, an "
               "EnsemblePolicy to its spec (the options of ensemble.verify; with `adaptive`, gate.decide's policy, which "
               "picks an arm per request); with the policy's id and hash.",
               "PolicyInput & { request?: PolicyRequest | { spent_today_usd?: number; spent_month_usd?: number; "
               "request_cost_usd?: number } }",
               "{ applies: boolean; action?: string; reason?: 'band' | 'override' | 'low_confidence' | 'fail_mode'; band?: "
               "string; budget_factor?: number; region?: string; override?: number; state?: 'ok' | 'warn' | 'exhausted'; "
               "used?: number; ensemble_policy?: Record<string, unknown>; policy: { name: string; version: number; kind: "
               "PolicyKind; hash: string } }",
               op_evaluate});
  t.push_back({"policy.simulate",
               "Replays recorded requests through a candidate RiskRoutingPolicy (against their recorded actions or a "
               "baseline policy): decision changes, escalation, containment, cost and labelled outcomes.",
               "PolicyInput & { baseline?: PolicyDocument; baseline_yaml?: string; trace: (PolicyRequest & { id: string; action?: string; "
               "costs?: Record<string, number>; label?: 'hallucinated' | 'ok' })[] }",
               "{ policy: PolicyIdentity; baseline?: PolicyIdentity; requests: number; changed: number; not_governed: number; "
               "actions: { baseline: Record<string, number>; candidate: Record<string, number> }; transitions: "
               "Record<string, number>; escalation: { baseline: number; candidate: number; delta: number }; containment: { "
               "hallucinated: number; baseline: number; candidate: number; delta: number }; cost_usd: { baseline: number; "
               "candidate: number; delta: number; unknown: number }; labelled_changes: { newly_contained: number; "
               "newly_served_hallucinated: number; newly_escalated_fine: number; newly_served_fine: number }; changed_ids: "
               "string[] }",
               op_simulate});
}

void add_policy_types(std::vector<TypeSpec>& t) {
  t.push_back({"CelValue",
               "{ nullValue: null } | { boolValue: boolean } | { int64Value: string } | { uint64Value: string } | "
               "{ doubleValue: number | 'NaN' | 'Infinity' | '-Infinity' } | { stringValue: string } | "
               "{ listValue: { values?: CelValue[] } } | { mapValue: { entries?: { key: CelValue; value: CelValue }[] } }"});
  t.push_back({"PolicyKind", "'RiskRoutingPolicy' | 'EnsemblePolicy' | 'BudgetPolicy' | 'CanaryPolicy'"});
  t.push_back({"PolicyDocument",
               "{ apiVersion: 'flk.dev/policy/v1'; kind: PolicyKind; metadata: { name: string; version: number; tenant?: "
               "string; description?: string; labels?: Record<string, string> }; spec: Record<string, unknown>; "
               "signature?: { alg: 'ed25519'; public_key_b64: string; signature_b64: string } }"});
  t.push_back({"PolicyInput",
               "{ policy: PolicyDocument; policy_yaml?: never } | { policy_yaml: string; policy?: never }"});
  t.push_back({"CanaryState",
               "{ step: number; failed_gates: number; status: 'running' | 'promoted' | 'rolled_back'; percent: number }"});
  t.push_back({"PolicyIdentity", "{ name: string; version: number; kind: PolicyKind; hash: string }"});
  t.push_back({"PolicyRequest",
               "{ tenant: string; risk: number; confidence?: number; scorer_failed?: boolean; latency_ms?: number; "
               "attributes?: Record<string, unknown> }"});
}

}  // namespace flk
