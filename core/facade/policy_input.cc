#include "facade/policy_input.h"

#include "facade/bandit_input.h"
#include "json/write.h"
#include "yaml/parse.h"

namespace flk::policy_io {
namespace {

constexpr size_t kMaxAttributesBytes = 16u << 10;
constexpr json::Range kUnit{0.0, 1.0};

Status read_request_keys(json::ObjectReader& r, policy::Request& q) {
  FLK_ASSIGN(q.tenant, r.string("tenant", 128));
  FLK_ASSIGN(q.risk, r.number("risk", kUnit));
  FLK_ASSIGN(q.confidence, r.opt_number("confidence", kUnit));
  FLK_ASSIGN(auto failed, r.opt_boolean("scorer_failed"));
  q.scorer_failed = failed.value_or(false);
  FLK_ASSIGN(q.latency_ms, r.opt_integer("latency_ms", 0, int64_t{1} << 40));
  if (const json::Value* a = r.optional("attributes")) {
    if (!a->is_object()) return json::wrong_type(r.path_of("attributes"), "an object", *a);
    if (json::to_string(*a).size() > kMaxAttributesBytes)
      return make_error("too_large", r.path_of("attributes") + ": at most 16 KiB of JSON", r.path_of("attributes"));
    q.attributes = *a;
  }
  return Ok{};
}

}  // namespace

Result<policy::Bundle> load(const json::Value& doc, const std::string& path) {
  FLK_ASSIGN(policy::Bundle b, policy::load(doc, path));
  if (b.kind == "EnsemblePolicy") FLK_TRY(bandit_io::check_policy(*doc.find("spec"), json::join_path(path, "spec")));
  return b;
}

Result<json::Value> read_yaml(const json::Value& text, const std::string& path) {
  FLK_ASSIGN(std::string yaml_text, json::read_string(text, path));
  auto v = yaml::parse(yaml_text);
  if (v.ok()) return v;
  Error e = v.error();
  e.path = path + e.path.substr(1);  // the reader's "$..." inside the text at `path`
  return e;
}

// A document read from YAML text at `path` failed its checks: the message starts with where, in
// the text, the error's path leads ("12:5: "), as the reader's own errors do.
Error located(Error e, const std::string& text, const std::string& path) {
  if (e.path.compare(0, path.size(), path) != 0) return e;
  const std::string at = yaml::locate(text, "$" + e.path.substr(path.size()));
  if (!at.empty()) e.message = at + ": " + e.message;
  return e;
}

Result<std::optional<policy::Bundle>> opt_load_field(json::ObjectReader& r, const char* key) {
  const std::string yaml_key = std::string(key) + "_yaml";
  const json::Value* doc = r.optional(key);
  const json::Value* text = r.optional(yaml_key);
  if (doc && text)
    return make_error("conflicting_fields", "give only one of " + std::string(key) + " and " + yaml_key, r.path_of(yaml_key));
  if (!doc && !text) return std::optional<policy::Bundle>();
  const std::string path = r.path_of(doc ? key : yaml_key);
  json::Value parsed;
  if (text) {
    FLK_ASSIGN(parsed, read_yaml(*text, path));
  }
  auto b = load(doc ? *doc : parsed, path);
  if (!b.ok()) return text ? located(b.error(), text->as_string(), path) : b.error();
  return std::optional<policy::Bundle>(std::move(b.value()));
}

Result<policy::Bundle> load_field(json::ObjectReader& r, const char* key) {
  FLK_ASSIGN(auto b, opt_load_field(r, key));
  if (!b) {
    const std::string path = r.path_of(key);
    return make_error("missing_field", path + " (or " + key + "_yaml) is required", path);
  }
  return std::move(*b);
}

Result<policy::Request> read_request(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  policy::Request q;
  FLK_TRY(read_request_keys(r, q));
  FLK_TRY(r.finish());
  return q;
}

Result<std::vector<policy::TraceRecord>> read_trace(const json::Value& v, const std::string& path) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  if (v.as_array().size() > kMaxTraceRecords)
    return make_error("too_large", path + ": at most " + std::to_string(kMaxTraceRecords) + " records", path);
  std::vector<policy::TraceRecord> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    FLK_ASSIGN(auto r, json::ObjectReader::open(v.as_array()[i], json::index_path(path, i)));
    policy::TraceRecord t;
    FLK_ASSIGN(t.id, r.string("id", 256));
    FLK_TRY(read_request_keys(r, t.request));
    FLK_ASSIGN(auto action, r.opt_string("action", 32));
    if (action) {
      if (policy::escalation(*action) < 0)
        return make_error("out_of_range", r.path_of("action") + " is not a routing action", r.path_of("action"));
      t.recorded_action = *action;
    }
    if (const json::Value* c = r.optional("costs")) {
      FLK_ASSIGN(auto cr, json::ObjectReader::open(*c, r.path_of("costs")));
      for (const auto& m : c->as_object()) {
        if (policy::escalation(m.first) < 0)
          return make_error("unknown_field", cr.path_of(m.first) + " is not a routing action", cr.path_of(m.first));
        FLK_ASSIGN(t.costs[m.first], json::read_number(m.second, cr.path_of(m.first), {0, 1e9}));
      }
    }
    FLK_ASSIGN(auto label, r.opt_string("label", 16));
    if (label) {
      if (*label != "hallucinated" && *label != "ok")
        return make_error("out_of_range", r.path_of("label") + " must be hallucinated or ok", r.path_of("label"));
      t.label = *label == "hallucinated" ? 1 : 0;
    }
    FLK_TRY(r.finish());
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace flk::policy_io
