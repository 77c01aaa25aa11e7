#include "app/budget.h"

#include "app/facade.h"
#include "cost/budget.h"
#include "cost/money.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

Result<json::Value> check(const std::string& tenant, const json::Value& policy, int64_t now_ms, int64_t spent,
                          int64_t request) {
  json::Value in = json::Value::object();
  in.set("tenant", tenant)
      .set("policy", policy)
      .set("now", rfc3339_ms(now_ms))
      .set("spent_usd", cost::usd(spent))
      .set("request_cost_usd", cost::usd(request));
  return thread_engine().call_value("cost.budget.check", in);
}

}  // namespace

Result<std::string> check_budget(const json::Value& policy, const std::string& base_path) {
  if (!policy.is_object()) return json::wrong_type(base_path, "an object", policy);
  if (const json::Value* p = policy.find("preemptive"); p && !(p->is_bool() && !p->as_bool()))
    return make_error("unsupported", base_path + ".preemptive: the server decides on recorded spend and does not project",
                      base_path + ".preemptive");
  json::Value canonical = policy;
  canonical.set("preemptive", false);
  auto r = check("check", canonical, 0, 0, 0);
  if (!r.ok()) {
    Error e = r.error();
    if (e.path.rfind("$.policy", 0) != 0) return make_error("internal", "checking the budget failed: " + e.message);
    e.path = base_path + e.path.substr(8);
    for (size_t at; (at = e.message.find("$.policy")) != std::string::npos;) e.message.replace(at, 8, base_path);
    return e;
  }
  return json::to_string(canonical);
}

Result<std::pair<int32_t, int32_t>> budget_days(const std::string& budget_json, int64_t now_ms) {
  FLK_ASSIGN(json::Value policy, json::parse(budget_json));
  const json::Value* name = policy.find("window");
  auto window = name && name->is_string() ? cost::window_from_name(name->as_string()) : cost::Window::daily;
  if (!window) return make_error("internal", "a stored budget has an unknown window");
  auto bounds = cost::window_bounds(*window, now_ms);
  return std::make_pair(day_of(bounds.first), day_of(bounds.second));
}

Status judge_usage(const std::string& budget_json, const SpendReader& spent, UsageWrite& w) {
  return judge_usage_measured(budget_json, spent, w, nullptr);
}

Status judge_usage_measured(const std::string& budget_json, const SpendReader& spent, UsageWrite& w,
                            double* used_fraction) {
  FLK_ASSIGN(json::Value policy, json::parse(budget_json));
  FLK_ASSIGN(auto days, budget_days(budget_json, w.now_ms));
  FLK_ASSIGN(int64_t before, spent(days.first, days.second));
  FLK_ASSIGN(json::Value d, check(w.tenant, policy, w.now_ms, before, w.cost_nanos));
  const std::string action = d.find("action")->as_string();
  w.refused = action == "deny";
  if (used_fraction) *used_fraction = d.find(w.refused ? "used_fraction" : "after_fraction")->as_double();
  if (action == "allow") return Ok{};
  if (!w.refused) {
    // Recorded only when this event moves the decision (crosses a threshold).
    FLK_ASSIGN(json::Value prior, check(w.tenant, policy, w.now_ms, before, 0));
    if (prior.find("action")->as_string() == action) return Ok{};
  }
  json::Value data = json::Value::object();
  data.set("event_id", w.id).set("action", action).set("refused", w.refused);
  for (const char* k : {"reason", "message", "spent_usd", "request_cost_usd", "cap_usd", "after_fraction"})
    data.set(k, *d.find(k));
  w.audit = AuditDraft{"budget.decision", w.tenant, std::move(data), w.now_ms};
  return Ok{};
}

Result<json::Value> budget_state(const std::string& tenant, const std::string& budget_json, int64_t spent_nanos,
                                 int64_t now_ms) {
  FLK_ASSIGN(json::Value policy, json::parse(budget_json));
  return check(tenant, policy, now_ms, spent_nanos, 0);
}

}  // namespace flk::server
