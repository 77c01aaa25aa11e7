#include "routes.h"

#include "gate/route.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::edge {
namespace {

Reply fail(int status, const char* code, std::string message) {
  json::Value inner = json::Value::object();
  inner.set("code", code).set("message", std::move(message));
  json::Value outer = json::Value::object();
  outer.set("error", std::move(inner));
  return {status, json::to_string(outer)};
}

// The core's typed error with the status the Worker gives it.
Reply core_fail(CallOutput out) {
  auto parsed = json::parse(out.json);
  const json::Value* code = parsed.ok() ? parsed->find("error") : nullptr;
  code = code ? code->find("code") : nullptr;
  std::string c = code && code->is_string() ? code->as_string() : "";
  return {c == "unknown_op" ? 501 : c == "too_large" ? 413 : 400, std::move(out.json)};
}

// A PCS verdict (accepted / escalated, as in the reference verifier) as a routing action.
const char* verdict_action(const json::Value& v) {
  const json::Value* a = v.find("accepted");
  const json::Value* e = v.find("escalated");
  bool accepted = a && a->is_bool() && a->as_bool();
  bool escalated = e && e->is_bool() && e->as_bool();
  return accepted && !escalated ? "accept" : escalated ? "human_review" : "reject";
}

Reply score(Engine& engine, std::string_view body, const Config& config) {
  auto bands = json::parse(config.bands.empty() ? "null" : config.bands);
  if (!bands.ok()) return fail(500, "bad_config", "FLK_BANDS is not valid JSON");
  CallOutput s = engine.call("hrs.score", body);
  if (!s.ok) return core_fail(std::move(s));
  auto parsed = json::parse(s.json);
  json::Value in = json::Value::object();
  if (parsed.ok())
    if (const json::Value* p = parsed->find("probability")) in.set("risk", *p);
  if (!config.bands.empty()) in.set("bands", std::move(*bands));
  CallOutput d = engine.call("routing.decide", json::to_string(in));
  if (!d.ok) return core_fail(std::move(d));
  return {200, "{\"decision\":" + d.json + ",\"score\":" + s.json + "}"};
}

// A configured member goes into the client's object as text, so the client's fields reach the
// core byte for byte; a client that sends its own member of that name gets duplicate_key.
std::string with_member(std::string_view body, const char* name, const std::string& value) {
  constexpr const char* kSpace = " \t\n\r";
  size_t open = body.find_first_not_of(kSpace);
  if (open == std::string_view::npos || body[open] != '{') return std::string(body);
  std::string_view rest = body.substr(open + 1);
  size_t next = rest.find_first_not_of(kSpace);
  bool empty = next != std::string_view::npos && rest[next] == '}';
  return "{\"" + std::string(name) + "\":" + value + (empty ? "" : ",") + std::string(rest);
}

Reply verify(Engine& engine, std::string_view body, const Config& config) {
  if (config.pcs_key.empty())
    return fail(500, "not_configured", "FLK_PCS_KEY is not set; /verify needs the key PCS documents are signed with");
  if (!json::parse(config.pcs_key).ok()) return fail(500, "bad_config", "FLK_PCS_KEY is not valid JSON");
  CallOutput v = engine.call("pcs.verify", with_member(body, "key", config.pcs_key));
  if (!v.ok) return core_fail(std::move(v));
  auto parsed = json::parse(v.json);
  const char* action = parsed.ok() ? verdict_action(*parsed) : "reject";
  return {200, std::string("{\"decision\":{\"action\":\"") + action + "\"},\"verdict\":" + v.json + "}"};
}

// The tenant-less verification gate: the operator's policy and bands, never the client's.
Reply gate_decide(Engine& engine, std::string_view body, const Config& config) {
  if (!config.gate_policy.empty() && !json::parse(config.gate_policy).ok())
    return fail(500, "bad_config", "FLK_GATE_POLICY is not valid JSON");
  if (!config.bands.empty() && !json::parse(config.bands).ok()) return fail(500, "bad_config", "FLK_BANDS is not valid JSON");
  std::string in(body);
  if (!config.bands.empty()) in = with_member(in, "bands", config.bands);
  if (!config.gate_policy.empty()) in = with_member(in, "policy", config.gate_policy);
  CallOutput d = engine.call("gate.decide", in);
  if (!d.ok) return core_fail(std::move(d));
  auto parsed = json::parse(d.json);
  const json::Value* status = parsed.ok() ? parsed->find("http_status") : nullptr;
  return {status ? static_cast<int>(status->as_int()) : 500, "{\"decision\":" + d.json + "}"};
}

}  // namespace

std::string_view uri_path(std::string_view uri) {
  size_t scheme = uri.find("://");
  if (scheme != std::string_view::npos) {
    size_t slash = uri.find('/', scheme + 3);
    uri = slash == std::string_view::npos ? std::string_view("/") : uri.substr(slash);
  }
  size_t end = uri.find_first_of("?#");
  return end == std::string_view::npos ? uri : uri.substr(0, end);
}

Reply route(Engine& engine, const Request& req, const Config& config) {
  gate::Settings settings;
  if (config.open_ops) settings.open_ops = *config.open_ops;
  if (config.gate_key) settings.gate_key = *config.gate_key;
  gate::Route to = gate::route({req.method, req.path, req.authorization}, settings);
  if (to.handler == gate::Handler::kRefuse) return fail(to.status, to.code.c_str(), std::move(to.message));
  if (req.body_too_large)
    return fail(413, "too_large", "the body is over " + std::to_string(kMaxBodyBytes) + " bytes");
  if (to.handler == gate::Handler::kCall) {
    CallOutput out = engine.call(to.op, req.body);
    return !out.ok ? core_fail(std::move(out)) : Reply{200, std::move(out.json)};
  }
  if (to.handler == gate::Handler::kGate) return gate_decide(engine, req.body, config);
  return to.handler == gate::Handler::kScore ? score(engine, req.body, config) : verify(engine, req.body, config);
}

}  // namespace flk::edge
