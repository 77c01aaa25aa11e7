// flk policy … and flk canary …: policy documents and canary gates from files, through the
// facade's policy.* and canary.* ops (docs/policy.md).
#include <iostream>

#include "admin_client.h"
#include "commands.h"
#include "json/parse.h"
#include "json/write.h"
#include "jsonl_input.h"
#include "yaml/parse.h"

namespace flk::cli {
namespace {

// Reads the file of --flag into `in` at `key`; a YAML file goes as its text at `key`_yaml, so that
// the core's errors in the document say where in the text they are. The document also lands in
// `parsed` when given.
Status read_policy(std::map<std::string, std::string>& f, json::Value& in, const char* flag, const char* key,
                   json::Value* parsed = nullptr) {
  if (!f.count(flag)) return make_error("usage", std::string("--") + flag + " FILE is required");
  FLK_ASSIGN(json::Value doc, read_json_file(f[flag]));  // a file that does not read fails here, named
  std::string text;
  if (yaml::is_yaml_name(f[flag]) && read_file(f[flag], text)) in.set(std::string(key) + "_yaml", std::move(text));
  else in.set(key, doc);
  if (parsed) *parsed = std::move(doc);
  return Ok{};
}

Result<std::string> key_field(const std::string& path, const char* field) {
  FLK_ASSIGN(json::Value key, read_json_file(path));
  const json::Value* v = key.find(field);
  if (!v || !v->is_string()) return make_error("usage", path + " has no " + field + " (a key file of flk keygen ed25519)");
  return v->as_string();
}

int fail(const Error& e) { return print_result(Result<json::Value>(e)); }

// The tenant's stored decisions replayed by the server (POST …/policies/simulate): the report
// printed as one JSON line, as for a trace file.
int simulate_stored(json::Value& in, std::map<std::string, std::string>& f) {
  if (f.count("limit")) {  // as JSON, so that the server's own check names a bad one at $.limit
    auto limit = json::parse(f["limit"]);
    in.set("limit", limit.ok() ? std::move(limit.value()) : json::Value(f["limit"]));
  }
  auto report = admin_call(f, "flk policy simulate", tenant_path(f["tenant"]) + "/policies/simulate", &in);
  if (!report) return kExitError;
  std::cout << json::to_string(*report) << "\n";
  return kExitOk;
}

int policy_run(Engine& engine, const std::string& sub, std::map<std::string, std::string>& f) {
  if (sub != "validate" && sub != "hash" && sub != "sign" && sub != "verify" && sub != "evaluate" && sub != "simulate")
    return usage_error("policy takes validate, hash, sign, verify, evaluate or simulate");
  // The server's flags belong to simulate --server only: anywhere else they would be ignored.
  if (!f.count("server"))
    for (const char* flag : {"tenant", "limit", "admin-token"})
      if (f.count(flag)) return usage_error(std::string("--") + flag + " goes with policy simulate --server URL");
  if (f.count("server") && sub != "simulate") return usage_error("--server goes with policy simulate");
  json::Value in = json::Value::object();
  Status st = read_policy(f, in, "policy", "policy");
  if (!st.ok()) return st.error().code == "usage" ? usage_error(st.error().message) : fail(st.error());
  if (sub == "validate" || sub == "hash") return print_result(engine.call_value("policy." + sub, in));
  if (sub == "verify" || sub == "sign") {
    if (f.count("key-file")) {
      auto k = key_field(f["key-file"], sub == "sign" ? "seed_b64" : "public_key_b64");
      if (!k.ok()) return k.error().code == "usage" ? usage_error(k.error().message) : fail(k.error());
      in.set(sub == "sign" ? "seed_b64" : "public_key_b64", *k);
    } else if (sub == "sign") {
      return usage_error("policy sign needs --key-file K (flk keygen ed25519)");
    }
    auto out = engine.call_value("policy." + sub, in);
    if (sub == "verify" || !out.ok()) {
      int rc = print_result(out);
      return rc == kExitOk && !out->find("valid")->as_bool() ? 3 : rc;
    }
    std::string text = json::to_string(*out->find("policy")) + "\n";
    if (!f.count("out")) {
      std::cout << text;
      return kExitOk;
    }
    return write_file(f["out"], text) ? kExitOk : io_failure("write", f["out"]);
  }
  if (sub == "evaluate") {
    if (f.count("request")) {
      auto req = read_json_file(f["request"]);
      if (!req.ok()) return fail(req.error());
      in.set("request", std::move(*req));
    }
    return print_result(engine.call_value("policy.evaluate", in));
  }
  // simulate
  if (f.count("against") == f.count("server") || f.count("server") != f.count("tenant"))
    return usage_error("policy simulate needs --against TRACE.jsonl or --server URL --tenant T");
  if (f.count("baseline")) {
    Status b = read_policy(f, in, "baseline", "baseline");
    if (!b.ok()) return fail(b.error());
  }
  if (f.count("server")) return simulate_stored(in, f);
  json::Value trace = json::Value::array();
  std::vector<Where> where;
  if (!read_jsonl({f["against"]}, trace, where)) return kExitError;
  in.set("trace", std::move(trace));
  auto out = engine.call_value("policy.simulate", in);
  if (!out.ok()) return report_error(out.error(), where, "$.trace");
  return print_result(out);
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

int canary_run(Engine& engine, const std::string& sub, std::map<std::string, std::string>& f) {
  if (sub != "gate" && sub != "step" && sub != "cohort") return usage_error("canary takes gate, step, cohort or status");
  json::Value in = json::Value::object();
  if (sub == "cohort") {
    if (!f.count("rollout") || !f.count("key") || !f.count("percent"))
      return usage_error("canary cohort needs --rollout ID --key KEY --percent P");
    auto percent = whole_integer(f["percent"]);
    if (!percent) return usage_error("--percent takes an integer, got \"" + f["percent"] + "\"");
    in.set("rollout", f["rollout"]).set("key", f["key"]).set("percent", *percent);
    return print_result(engine.call_value("canary.cohort", in));
  }
  json::Value policy;
  Status st = read_policy(f, in, "policy", "policy", &policy);
  if (!st.ok()) return st.error().code == "usage" ? usage_error(st.error().message) : fail(st.error());
  if (sub == "step") {
    if (!f.count("verdict")) return usage_error("canary step needs --verdict pass|fail|inconclusive");
    in.set("verdict", f["verdict"]);
    if (f.count("state")) {
      auto s = read_json_file(f["state"]);
      if (!s.ok()) return fail(s.error());
      in.set("state", std::move(*s));
    }
    return print_result(engine.call_value("canary.step", in));
  }
  if (!f.count("baseline") || !f.count("canary")) return usage_error("canary gate needs --baseline B.jsonl --canary C.jsonl");
  std::vector<std::string> metrics;
  const json::Value* spec = policy.find("spec");
  const json::Value* list = spec ? spec->find("metrics") : nullptr;
  if (list)
    for (const json::Value& m : list->as_array())
      if (const json::Value* n = m.find("name")) metrics.push_back(n->as_string());
  json::Value samples = json::Value::object();
  if (!add_cohort(f["baseline"], "baseline", metrics, samples) || !add_cohort(f["canary"], "canary", metrics, samples))
    return kExitError;
  in.set("samples", std::move(samples));
  auto out = engine.call_value("canary.gate", in);
  int rc = print_result(out);
  return rc == kExitOk && out->find("verdict")->as_string() == "fail" ? 3 : rc;
}

int run(Engine& engine, const Args& args, const char* what, std::initializer_list<const char*> flags,
        int (*body)(Engine&, const std::string&, std::map<std::string, std::string>&)) {
  if (args.empty()) return usage_error(std::string(what) + " needs a subcommand");
  std::map<std::string, std::string> f;
  std::vector<std::string> pos;
  std::string err;
  if (!parse_flags(Args(args.begin() + 1, args.end()), flags, f, pos, err)) return usage_error(err);
  if (!pos.empty()) return usage_error(std::string(what) + " " + args[0] + " takes flags only");
  return body(engine, args[0], f);
}

}  // namespace

int cmd_policy(Engine& engine, const Args& args) {
  return run(engine, args, "policy", {"policy", "key-file", "out", "request", "against", "baseline", "server", "tenant", "limit", "admin-token"}, policy_run);
}

int cmd_canary(Engine& engine, const Args& args) {
  if (!args.empty() && args[0] == "status") return cmd_canary_status(engine, Args(args.begin() + 1, args.end()));
  return run(engine, args, "canary", {"policy", "baseline", "canary", "verdict", "state", "rollout", "key", "percent"},
             canary_run);
}

}  // namespace flk::cli
