#include "app/budget.h"

#include <map>
#include <mutex>

#include "app/facade.h"
#include "cost/budget.h"
#include "cost/money.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "util/civil_time.h"

namespace flk::server {
namespace {

// extra: cost.budget.check's history or projection for a pre-emptive budget (null: none).
Result<json::Value> check(const std::string& tenant, const json::Value& policy, int64_t now_ms, int64_t spent,
                          int64_t request, const json::Value& extra = json::Value()) {
  json::Value in = json::Value::object();
  in.set("tenant", tenant)
      .set("policy", policy)
      .set("now", rfc3339_ms(now_ms))
      .set("spent_usd", cost::usd(spent))
      .set("request_cost_usd", cost::usd(request));
  if (extra.is_object())
    for (const auto& [k, v] : extra.as_object()) in.set(k, v);
  return thread_engine().call_value("cost.budget.check", in);
}

// The projections of pre-emptive budgets in this instance, per (tenant, window start day): made
// at most once per kProjectionRefreshMs from the stored daily spend, so judging an event costs
// one map look-up, not a forecast. Bounded: emptied when it holds kMaxProjections entries.
constexpr int64_t kProjectionRefreshMs = 60000;
constexpr size_t kMaxProjections = 65536;
constexpr int32_t kHistoryDays = 90;

struct CachedProjection {
  int64_t made_ms = 0;
  json::Value projection;  // cost.budget.check's "projection" (null when it makes none)
  bool audited = false;    // a forecast decision of this projection is in the audit chain
  // The event whose open transaction would put one there (released if it does not commit).
  const Judging* claimed_by = nullptr;
};

std::mutex projections_mu;
std::map<std::pair<std::string, int32_t>, CachedProjection>& projections() {
  static std::map<std::pair<std::string, int32_t>, CachedProjection> m;
  return m;
}

// The daily spend of the kHistoryDays before today, forecast by cost.budget.check (ETS as cost.forecast).
Result<json::Value> make_projection(const std::string& tenant, const json::Value& policy, const SpendReader& spent,
                                    int64_t window_spent, int64_t now_ms) {
  const int32_t today = day_of(now_ms);
  json::Value values = json::Value::array();
  for (int32_t d = today - kHistoryDays; d < today; ++d) {
    FLK_ASSIGN(int64_t v, spent(d, d + 1));
    values.push(cost::usd(v));
  }
  json::Value history = json::Value::object();
  history.set("start", format_date(today - kHistoryDays)).set("values_usd", std::move(values));
  FLK_ASSIGN(json::Value d, check(tenant, policy, now_ms, window_spent, 0, json::Value::object().set("history", history)));
  const json::Value* p = d.find("projection");
  return p ? *p : json::Value();
}

// The tenant's current projection for the window starting on from_day (made now if stale).
Result<json::Value> projection_for(const std::string& tenant, int32_t from_day, const json::Value& policy,
                                   const SpendReader& spent, int64_t window_spent, int64_t now_ms) {
  const auto key = std::make_pair(tenant, from_day);
  {
    std::lock_guard<std::mutex> l(projections_mu);
    auto it = projections().find(key);
    if (it != projections().end() && now_ms - it->second.made_ms < kProjectionRefreshMs && now_ms >= it->second.made_ms)
      return it->second.projection;
  }
  FLK_ASSIGN(json::Value made, make_projection(tenant, policy, spent, window_spent, now_ms));
  std::lock_guard<std::mutex> l(projections_mu);
  if (projections().size() >= kMaxProjections) projections().clear();
  projections()[key] = CachedProjection{now_ms, made, false, nullptr};
  return made;
}

// Whether this forecast decision is the projection's audited one: the first whose transaction
// commits. A claim held by an event's open transaction stands until settle_judging; the event
// itself gets it again when its transaction is retried.
bool claim_forecast_audit(const std::string& tenant, int32_t from_day, Judging& j) {
  std::lock_guard<std::mutex> l(projections_mu);
  auto it = projections().find({tenant, from_day});
  if (it == projections().end() || it->second.audited) return false;
  CachedProjection& p = it->second;
  if (p.claimed_by && p.claimed_by != &j) return false;
  p.claimed_by = &j;
  j.claim_day = from_day;
  return true;
}

bool preemptive(const json::Value& policy) {
  const json::Value* p = policy.find("preemptive");
  return p && p->is_bool() && p->as_bool();
}

}  // namespace

Result<std::string> check_budget(const json::Value& policy, const std::string& base_path) {
  if (!policy.is_object()) return json::wrong_type(base_path, "an object", policy);
  json::Value canonical = policy;
  if (!policy.find("preemptive")) canonical.set("preemptive", false);
  auto r = check("check", canonical, 0, 0, 0);
  if (!r.ok()) {
    Error e = r.error();
    if (e.path.rfind("$.policy", 0) != 0) return make_error("internal", "checking the budget failed: " + e.message);
    return rebase_error(e, "$.policy", base_path);
  }
  return json::to_string(canonical);
}

namespace {

// A stored budget read once: the batcher judges run after run of events against the same one.
struct ParsedBudget {
  uint64_t revision = 0;  // StoredBudget::revision; 0: none held
  json::Value policy;
  cost::Window window = cost::Window::daily;
};

// The parsed form of a stored budget, kept per thread for the last revision asked for.
Result<const ParsedBudget*> parsed_budget(const StoredBudget& budget) {
  thread_local ParsedBudget last;
  if (budget.revision != 0 && last.revision == budget.revision) return &last;
  last.revision = 0;
  FLK_ASSIGN(json::Value policy, json::parse(budget.json));
  const json::Value* name = policy.find("window");
  auto window = name && name->is_string() ? cost::window_from_name(name->as_string()) : cost::Window::daily;
  if (!window) return make_error("internal", "a stored budget has an unknown window");
  last = ParsedBudget{budget.revision, std::move(policy), *window};
  return &last;
}

std::pair<int32_t, int32_t> window_days(const ParsedBudget& b, int64_t now_ms) {
  auto bounds = cost::window_bounds(b.window, now_ms);
  return std::make_pair(day_of(bounds.first), day_of(bounds.second));
}

}  // namespace

Result<std::pair<int32_t, int32_t>> budget_days(const StoredBudget& budget, int64_t now_ms) {
  FLK_ASSIGN(const ParsedBudget* b, parsed_budget(budget));
  return window_days(*b, now_ms);
}

Status judge_usage(const StoredBudget& budget, const SpendReader& spent, UsageWrite& w, Judging& j) {
  j.forecast_audit = false;
  FLK_ASSIGN(const ParsedBudget* parsed, parsed_budget(budget));
  const json::Value& policy = parsed->policy;
  const auto days = window_days(*parsed, w.now_ms);
  FLK_ASSIGN(int64_t before, spent(days.first, days.second));
  json::Value given;  // a pre-emptive budget's projection
  if (preemptive(policy)) {
    FLK_ASSIGN(json::Value p, projection_for(w.tenant, days.first, policy, spent, before, w.now_ms));
    if (p.is_object()) given = json::Value::object().set("projection", std::move(p));
  }
  FLK_ASSIGN(json::Value d, check(w.tenant, policy, w.now_ms, before, w.cost_nanos, given));
  const std::string action = d.find("action")->as_string();
  w.refused = action == "deny";
  j.used_fraction = d.find(w.refused ? "used_fraction" : "after_fraction")->as_double();
  if (action == "allow") return Ok{};
  const bool forecast = d.find("reason")->as_string() == "forecast_exceeds_hard_cap";
  if (forecast) {
    // Once per projection (and instance): the decision with the projection that made it.
    if (!claim_forecast_audit(w.tenant, days.first, j)) return Ok{};
    j.forecast_audit = true;
  } else if (!w.refused) {
    // Recorded only when this event moves the decision (crosses a threshold).
    FLK_ASSIGN(json::Value prior, check(w.tenant, policy, w.now_ms, before, 0, given));
    if (prior.find("action")->as_string() == action) return Ok{};
  }
  json::Value data = json::Value::object();
  data.set("event_id", w.id).set("action", action).set("refused", w.refused);
  for (const char* k : {"reason", "message", "spent_usd", "request_cost_usd", "cap_usd", "after_fraction"})
    data.set(k, *d.find(k));
  if (const json::Value* p = d.find("projection")) data.set("projection", *p);
  w.audit = AuditDraft{"budget.decision", w.tenant, std::move(data), w.now_ms};
  return Ok{};
}

void settle_judging(Judging& j, const UsageWrite& w, const Status& s) {
  if (!j.claim_day) return;
  std::lock_guard<std::mutex> l(projections_mu);
  auto it = projections().find({w.tenant, *j.claim_day});
  // A projection made again since holds no claim of this event's.
  if (it != projections().end() && it->second.claimed_by == &j) {
    it->second.claimed_by = nullptr;
    it->second.audited = s.ok() && j.forecast_audit && w.audit && (w.won || w.refused);
  }
  j.claim_day.reset();
}

Result<json::Value> budget_state(const std::string& tenant, const std::string& budget_json, int64_t spent_nanos,
                                 int64_t now_ms) {
  FLK_ASSIGN(json::Value policy, json::parse(budget_json));
  return check(tenant, policy, now_ms, spent_nanos, 0);
}

}  // namespace flk::server
