#include "app/pii_policy.h"

#include <fstream>
#include <sstream>

#include "app/app.h"
#include "app/facade.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

// Findings listed per field, in the answer and the audit entry (counts cover the rest).
constexpr int64_t kFindingsPerField = 100;

const char* action_name(PiiAction a) {
  switch (a) {
    case PiiAction::off:
      return "off";
    case PiiAction::detect:
      return "detect";
    case PiiAction::block:
      return "block";
    case PiiAction::redact:
      return "redact";
  }
  return "off";
}

Result<std::string> key_file_b64(const std::string& path, const std::string& where) {
  std::ifstream f(path);
  if (!f) return make_error("bad_config", where + ".key_file: cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto key = json::parse(ss.str());
  const json::Value* b64 = key.ok() && key->is_object() ? key->find("key_b64") : nullptr;
  if (!b64 || !b64->is_string()) return make_error("bad_config", where + ".key_file: " + path + " is not a key of flk keygen hmac");
  return b64->as_string();
}

Result<PiiPolicy> parse_policy(const json::Value& v, const std::string& where) {
  if (!v.is_object()) return make_error("bad_config", where + " must be an object");
  PiiPolicy p;
  const json::Value* action = v.find("action");
  if (!action || !action->is_string()) return make_error("bad_config", where + ".action is required: off, detect, block or redact");
  const std::string& a = action->as_string();
  bool known = false;
  for (PiiAction c : {PiiAction::off, PiiAction::detect, PiiAction::block, PiiAction::redact})
    if (a == action_name(c)) {
      p.action = c;
      known = true;
    }
  if (!known) return make_error("bad_config", where + ".action must be off, detect, block or redact");
  for (const auto& m : v.as_object()) {
    const std::string& k = m.first;
    if (k == "action") continue;
    if (k == "types" || k == "min_confidence") {
      p.options.set(k, m.second);
    } else if (k == "mode" && p.action == PiiAction::redact) {
      p.options.set(k, m.second);
    } else if (k == "key_file" && p.action == PiiAction::redact && m.second.is_string()) {
      FLK_ASSIGN(std::string b64, key_file_b64(m.second.as_string(), where));
      p.options.set("key_b64", b64);
    } else {
      return make_error("bad_config", where + ": \"" + k + "\" is not a setting of a " + a + " policy");
    }
  }
  if (p.action == PiiAction::redact && !p.options.find("mode")) p.options.set("mode", "tag");
  // Tried once on an empty text: the op checks types, confidence, mode and key.
  json::Value probe = p.options;
  probe.set("text", "");
  auto r = thread_engine().call_value(p.action == PiiAction::redact ? "pii.redact" : "pii.scan", probe);
  if (!r.ok()) return make_error("bad_config", where + ": " + r.error().message);
  return p;
}

}  // namespace

Result<PiiPolicies> PiiPolicies::parse(const std::string& text) {
  PiiPolicies out;
  if (text.empty()) return out;
  auto v = json::parse(text);
  if (!v.ok()) return make_error("bad_config", "pii: " + v.error().message);
  if (!v->is_object()) return make_error("bad_config", "pii must be an object {\"default\", \"tenants\"}");
  for (const auto& m : v->as_object()) {
    if (m.first == "default") {
      FLK_ASSIGN(out.default_, parse_policy(m.second, "pii.default"));
    } else if (m.first == "tenants" && m.second.is_object()) {
      for (const auto& t : m.second.as_object()) {
        FLK_ASSIGN(PiiPolicy p, parse_policy(t.second, "pii.tenants." + t.first));
        out.tenants_[t.first] = std::move(p);
      }
    } else {
      return make_error("bad_config", "pii: \"" + m.first + "\" is not a setting (default, tenants: an object)");
    }
  }
  return out;
}

const PiiPolicy& PiiPolicies::of(const std::string& tenant) const {
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? default_ : it->second;
}

const std::vector<std::string>& hrs_text_fields() {
  static const std::vector<std::string> f = {"question", "context", "answer"};
  return f;
}

Result<PiiScreen> screen_pii(const PiiPolicy& policy, const std::string& tenant, const std::string& route,
                             json::Value& in, const std::vector<std::string>& fields) {
  PiiScreen s;
  if (policy.action == PiiAction::off || !in.is_object()) return s;
  const bool redact = policy.action == PiiAction::redact;
  std::map<std::string, int64_t> totals;
  json::Value found = json::Value::object();
  json::Value field_counts = json::Value::object();
  std::string first_field;
  for (const std::string& name : fields) {
    const json::Value* text = in.find(name);
    if (!text || !text->is_string()) continue;
    json::Value call = policy.options;
    call.set("text", text->as_string()).set("limit", kFindingsPerField);
    auto out = thread_engine().call_value(redact ? "pii.redact" : "pii.scan", call);
    if (!out.ok()) {
      Error e = out.error();
      e.path = "$." + name;
      return e;
    }
    json::Value here = json::Value::object();
    for (const auto& c : out->find("counts")->as_object())
      if (c.second.as_int() > 0) {
        totals[c.first] += c.second.as_int();
        here.set(c.first, c.second);
      }
    if (out->find("findings")->as_array().empty()) continue;
    if (first_field.empty()) first_field = name;
    found.set(name, *out->find("findings"));
    field_counts.set(name, std::move(here));
    if (redact) in.set(name, *out->find("text"));
  }
  json::Value counts = json::Value::object();
  std::string types;
  for (const auto& t : totals) {
    counts.set(t.first, t.second);
    types += (types.empty() ? "" : ", ") + t.first;
  }
  s.report = json::Value::object();
  s.report.set("action", action_name(policy.action)).set("counts", counts).set("fields", found);
  if (totals.empty()) return s;
  // The entry keeps counts per field and type only: its size is bounded whatever the text, and
  // offsets (in the answer) would say little to an auditor without the text.
  json::Value data = json::Value::object();
  data.set("action", action_name(policy.action)).set("counts", counts).set("fields", std::move(field_counts)).set("route", route);
  const char* type = policy.action == PiiAction::block ? "pii.blocked" : redact ? "pii.redacted" : "pii.detected";
  s.audit = AuditDraft{type, tenant, std::move(data), now_ms()};
  if (policy.action == PiiAction::block) {
    json::Value list = json::Value::array();
    for (const auto& t : totals) list.push(t.first);
    json::Value err = json::Value::object();
    err.set("code", "pii_found")
        .set("message", "$." + first_field + ": the tenant's PII policy blocks " + types)
        .set("path", "$." + first_field)
        .set("types", std::move(list));
    Response r;
    r.status = 422;
    r.body = json::to_string(json::Value::object().set("error", std::move(err)));
    s.refusal = std::move(r);
  }
  return s;
}

void reply_screened(App& app, PiiScreen& screen, Response r, Reply reply) {
  if (!screen.audit) return reply(std::move(r));
  const json::Value& data = screen.audit->data;
  const std::string action = data.find("action")->as_string();
  for (const auto& [type, count] : data.find("counts")->as_object())
    app.metrics.pii_findings.inc({screen.audit->tenant, type, action}, static_cast<double>(count.as_int()));
  auto w = std::make_unique<AuditOnlyWrite>();
  w->tenant = screen.audit->tenant;
  w->audit = *screen.audit;
  Metrics& metrics = app.metrics;
  app.batcher->submit(std::move(w), [r = std::move(r), reply = std::move(reply), &metrics](Write&, const Status& s) mutable {
    if (!s.ok()) return reply(store_failure(s, "the PII audit entry could not be stored", metrics));
    reply(std::move(r));
  });
}

}  // namespace flk::server
