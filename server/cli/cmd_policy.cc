// flk policy … and flk canary …: policy documents and canary gates from files, through the
// facade's policy.* and canary.* ops (docs/policy.md).
#include <iostream>

#include "admin_client.h"
#include "commands.h"
#include "json/write.h"
#include "jsonl_input.h"

namespace flk::cli {
namespace {

// The key of --key-file: `field` of a key file of flk keygen ed25519, at `field` in `in`.
Status read_key(const Parsed& p, const char* field, json::Value& in) {
  FLK_ASSIGN(json::Value key, read_json_file(p.get("key-file")));
  const json::Value* v = key.find(field);
  if (!v || !v->is_string())
    return make_error("missing_field", p.get("key-file") + " has no " + field + " (a key file of flk keygen ed25519)",
                      std::string("$.") + field);
  in.set(field, v->as_string());
  return Ok{};
}

int fail(const Parsed& p, const Error& e) { return print_result(p, Result<json::Value>(e)); }

// The op's answer on --policy alone.
int policy_op(Engine& engine, const Parsed& p, const char* op) {
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  return print_result(p, engine.call_value(op, in));
}
int policy_validate(Engine& engine, const Parsed& p) { return policy_op(engine, p, "policy.validate"); }
int policy_hash(Engine& engine, const Parsed& p) { return policy_op(engine, p, "policy.hash"); }

int policy_sign(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  if (Status st = read_key(p, "seed_b64", in); !st.ok()) return fail(p, st.error());
  auto out = engine.call_value("policy.sign", in);
  if (!out.ok()) return print_result(p, out);
  std::string text = json::to_string(*out->find("policy")) + "\n";
  if (!p.has("out")) {
    std::cout << text;
    return kExitOk;
  }
  return write_file(p.get("out"), text) ? kExitOk : io_failure("write", p.get("out"));
}

int policy_verify(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  if (p.has("key-file"))
    if (Status st = read_key(p, "public_key_b64", in); !st.ok()) return fail(p, st.error());
  auto out = engine.call_value("policy.verify", in);
  int rc = print_result(p, out);
  return rc == kExitOk && !out->find("valid")->as_bool() ? 3 : rc;
}

int policy_evaluate(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  if (Status st = read_optional_file(p, "request", in, "request"); !st.ok()) return fail(p, st.error());
  return print_result(p, engine.call_value("policy.evaluate", in));
}

// A trace file replayed here, or the tenant's stored decisions replayed by the server (POST
// …/policies/simulate); the report printed as one JSON line either way.
int policy_simulate(Engine& engine, const Parsed& p) {
  if (p.has("against") == p.has("server") || p.has("server") != p.has("tenant"))
    return usage_error("policy simulate: needs --against TRACE.jsonl or --server URL --tenant T");
  // The server's flags belong to --server only: with a trace they would be ignored.
  if (!p.has("server"))
    for (const char* flag : {"limit", "admin-token"})
      if (p.has(flag)) return usage_error(std::string("policy simulate: --") + flag + " goes with --server URL");
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  if (p.has("baseline"))
    if (Status st = read_policy(p, in, "baseline", "baseline"); !st.ok()) return fail(p, st.error());
  if (p.has("server")) {
    p.fill(in);
    auto report = admin_call(p, "flk policy simulate", tenant_path(p.get("tenant")) + "/policies/simulate", &in);
    if (!report) return kExitError;
    std::cout << json::to_string(*report) << "\n";
    return kExitOk;
  }
  json::Value trace = json::Value::array();
  std::vector<Where> where;
  if (!read_jsonl({p.get("against")}, trace, where)) return kExitError;
  in.set("trace", std::move(trace));
  auto out = engine.call_value("policy.simulate", in);
  if (!out.ok()) return report_error(out.error(), where, "$.trace");
  return print_result(p, out);
}

// One cohort's JSON lines ({"latency_ms": 120, "error_rate": 0, ...}) into samples[metric][cohort].
bool add_cohort(const std::string& path, const char* cohort, const std::vector<std::string>& metrics, json::Value& samples) {
  json::Value rows = json::Value::array();
  std::vector<Where> where;
  if (!read_jsonl({path}, rows, where)) return false;
  for (const std::string& m : metrics) {
    json::Value col = json::Value::array();
    for (const json::Value& r : rows.as_array())
      if (const json::Value* v = r.find(m)) col.push(*v);
    json::Value* pair = nullptr;
    for (auto& e : samples.as_object())
      if (e.first == m) pair = &e.second;
    if (!pair) {
      samples.set(m, json::Value::object());
      pair = &samples.as_object().back().second;
    }
    pair->set(cohort, std::move(col));
  }
  return true;
}

int canary_gate(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object(), policy;
  if (Status st = read_policy(p, in, "policy", "policy", &policy); !st.ok()) return fail(p, st.error());
  std::vector<std::string> metrics;
  const json::Value* spec = policy.find("spec");
  const json::Value* list = spec ? spec->find("metrics") : nullptr;
  if (list)
    for (const json::Value& m : list->as_array())
      if (const json::Value* n = m.find("name")) metrics.push_back(n->as_string());
  json::Value samples = json::Value::object();
  if (!add_cohort(p.get("baseline"), "baseline", metrics, samples) || !add_cohort(p.get("canary"), "canary", metrics, samples))
    return kExitError;
  in.set("samples", std::move(samples));
  auto out = engine.call_value("canary.gate", in);
  int rc = print_result(p, out);
  return rc == kExitOk && out->find("verdict")->as_string() == "fail" ? 3 : rc;
}

int canary_step(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  if (Status st = read_policy(p, in, "policy", "policy"); !st.ok()) return fail(p, st.error());
  p.fill(in);
  if (Status st = read_optional_file(p, "state", in, "state"); !st.ok()) return fail(p, st.error());
  return print_result(p, engine.call_value("canary.step", in));
}

int canary_cohort(Engine& engine, const Parsed& p) {
  json::Value in = json::Value::object();
  p.fill(in);
  return print_result(p, engine.call_value("canary.cohort", in));
}

}  // namespace

std::vector<Spec> policy_specs() {
  const Flag policy = Flag{"policy", Kind::kFile, "FILE", "the policy document (JSON or YAML)"}.op("policy").need();
  return {
      {"policy validate", "", 0, 0, "check a policy document (docs/policy.md)", {policy}, policy_validate},
      {"policy hash", "", 0, 0, "the policy's hash (policy.hash)", {policy}, policy_hash},
      {"policy sign", "", 0, 0, "the document with its Ed25519 signature",
       {policy, Flag{"key-file", Kind::kFile, "K", "the signing key (flk keygen ed25519)"}.op("seed_b64").need(),
        {"out", Kind::kFile, "FILE", "write the signed document to FILE"}},
       policy_sign},
      {"policy verify", "", 0, 0, "check the document's signature; exit 3 when it is not valid",
       {policy, Flag{"key-file", Kind::kFile, "K.pub", "the public key (flk keygen ed25519)"}.op("public_key_b64")},
       policy_verify},
      {"policy evaluate", "", 0, 0, "the decision for one request",
       {policy, Flag{"request", Kind::kFile, "REQ.json", "the request"}.op("request")}, policy_evaluate},
      {"policy simulate", "", 0, 0,
       "replay a trace (--against), or the tenant's stored decisions on a running flk-server (--server --tenant)",
       {policy, Flag{"against", Kind::kFile, "TRACE.jsonl", "the trace replayed"}.op("trace"),
        Flag{"baseline", Kind::kFile, "FILE", "the policy compared against"}.op("baseline"),
        {"server", Kind::kString, "URL", "the flk-server"},
        {"tenant", Kind::kString, "T", "the tenant (with --server)"},
        Flag{"limit", Kind::kInt, "N", "at most N stored decisions (with --server)"}.op("limit").range(1, 20000),
        {"admin-token", Kind::kString, "TOKEN", "the admin token (with --server; default: $FLK_ADMIN_TOKEN)"}},
       policy_simulate},
      {"canary gate", "", 0, 0, "pass, fail (exit 3) or inconclusive",
       {Flag{"policy", Kind::kFile, "FILE", "the canary policy"}.op("policy").need(),
        Flag{"baseline", Kind::kFile, "B.jsonl", "the baseline's metric rows"}.need(),
        Flag{"canary", Kind::kFile, "C.jsonl", "the canary's metric rows"}.need()},
       canary_gate},
      {"canary step", "", 0, 0, "the rollout's next state after a verdict",
       {Flag{"policy", Kind::kFile, "FILE", "the canary policy"}.op("policy").need(),
        Flag{"verdict", Kind::kEnum, "pass|fail|inconclusive", "the gate's verdict"}.op("verdict").need(),
        Flag{"state", Kind::kFile, "STATE.json", "the rollout's state (default: its start)"}.op("state")},
       canary_step},
      {"canary cohort", "", 0, 0, "whether KEY is in the rollout's canary cohort at P percent",
       {Flag{"rollout", Kind::kString, "ID", "the rollout"}.op("rollout").need(),
        Flag{"key", Kind::kString, "KEY", "the request's key"}.op("key").need(),
        Flag{"percent", Kind::kInt, "P", "the canary's share"}.op("percent").need().range(0, 100)},
       canary_cohort},
  };
}

}  // namespace flk::cli
