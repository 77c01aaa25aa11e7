// Tenant cost reads: GET /v1/budget/{tenant} (the budget's window, caps, spend and state) and
// GET /v1/cost/report (a tenant's stored usage events aggregated in SQL by tenant / provider /
// model / task / user / label / day / month), for the admin or the tenant itself (app/tenant_access.h).
#include <map>

#include "app/app.h"
#include "app/billing_routes.h"
#include "app/budget.h"
#include "app/cost_plan_routes.h"
#include "app/facade.h"
#include "app/tenant_access.h"
#include "cost/money.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/tenants/tenants.h"
#include "store/usage/report.h"
#include "store/usage/usage.h"

namespace flk::server {
namespace {

constexpr int64_t kMaxReportDays = 366;

void get_budget(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"ts"}, &err)) return reply(std::move(err));
  auto t = reader(app, req, req.params["tenant"], &err);
  if (!t) return reply(std::move(err));
  auto stored = tenants::budget(*app.store, t->id);
  if (!stored.ok()) return reply(store_failure(stored.error(), stored.error().message, app.metrics));
  const StoredBudget& budget = stored.value();
  if (budget.empty())
    return reply(error_response(404, "no_budget", "tenant \"" + t->id + "\" has no budget (PUT /v1/admin/tenants/{tenant})"));
  const int64_t now = now_ms();
  auto days = budget_days(budget, now);
  auto spent = days.ok() ? usage::spent(*app.store, t->id, days->first, days->second) : Result<int64_t>(days.error());
  if (!spent.ok()) return reply(store_failure(spent.error(), spent.error().message, app.metrics));
  auto state = budget_state(t->id, budget.json, spent.value(), now);
  if (!state.ok()) return reply(error_response(500, "internal", state.error().message));
  json::Value o = json::Value::object();
  o.set("tenant", t->id).set("policy", json::parse(budget.json).value()).set("now", rfc3339_ms(now));
  for (const char* k : {"window", "spent_usd", "cap_usd", "remaining_usd", "used_fraction", "reason", "message"})
    o.set(k, *state->find(k));
  o.set("state", *state->find("action"));
  reply(json_answer(o));
}

// group_by: a comma list of distinct report keys (store/usage/report.h).
bool read_group_by(const std::string& g, std::vector<std::string>* out, Response* err) {
  size_t labels = 0;
  for (size_t i = 0; i < g.size();) {
    size_t end = g.find(',', i);
    if (end == std::string::npos) end = g.size();
    const std::string k = g.substr(i, end - i);
    i = end + 1;
    bool dup = false;
    for (const auto& h : *out) dup = dup || h == k;
    labels += k.rfind("label:", 0) == 0;
    if (!usage::report_key_ok(k) || dup || labels > usage::kMaxReportLabelKeys) {
      *err = error_response(422, make_error("bad_group_by", "group_by is a comma list of distinct tenant, provider, model, "
                                                            "task, user, day, month and at most 4 label:<key>",
                                            "group_by"));
      return false;
    }
    out->push_back(k);
  }
  return true;
}

void get_report(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"from", "to", "group_by", "ts"}, &err)) return reply(std::move(err));
  auto t = reader(app, req, named_tenant(req), &err);
  if (!t) return reply(std::move(err));
  usage::ReportQuery q;
  q.tenant = t->id;
  if (!day_range(req, kMaxReportDays, &q.from_ms, &q.to_ms, &err)) return reply(std::move(err));
  if (!read_group_by(query_param(req.query, "group_by"), &q.group_by, &err)) return reply(std::move(err));
  auto groups = usage::report(*app.store, q);
  if (!groups.ok()) return reply(store_failure(groups.error(), groups.error().message, app.metrics));
  auto trusted = usage::trusted_report(*app.store, q);
  if (!trusted.ok()) return reply(store_failure(trusted.error(), trusted.error().message, app.metrics));
  std::map<std::vector<std::string>, int64_t> trusted_events;
  for (const usage::ReportGroup& g : trusted.value()) trusted_events[g.key] = g.events;
  // Cost per trusted task: the group's whole spend over its events whose verification was
  // accepted (as the core ledger's cost_per_trusted_task), rounded down to the nano-dollar.
  auto add_trust = [](json::Value& o, int64_t nanos, int64_t trusted) {
    o.set("trusted_events", trusted);
    o.set("cost_per_trusted_task_usd", trusted ? json::Value(cost::usd(nanos / trusted)) : json::Value());
  };
  json::Value list = json::Value::array();
  int64_t total_nanos = 0, total_events = 0, total_trusted = 0;
  for (const usage::ReportGroup& g : groups.value()) {
    json::Value k = json::Value::object();
    for (size_t i = 0; i < g.key.size(); ++i) k.set(q.group_by[i], g.key[i]);
    json::Value row = json::Value::object().set("key", std::move(k)).set("total_usd", cost::usd(g.nanos)).set("events", g.events);
    const auto t = trusted_events.find(g.key);
    add_trust(row, g.nanos, t == trusted_events.end() ? 0 : t->second);
    list.push(std::move(row));
    if (__builtin_add_overflow(total_nanos, g.nanos, &total_nanos))
      return reply(error_response(422, make_error("overflow", "the report's total exceeds 9.2 billion USD")));
    total_events += g.events;
    total_trusted += t == trusted_events.end() ? 0 : t->second;
  }
  json::Value gb = json::Value::array();
  for (const auto& k : q.group_by) gb.push(k);
  json::Value o = json::Value::object();
  o.set("tenant", t->id)
      .set("from", query_param(req.query, "from"))
      .set("to", query_param(req.query, "to"))
      .set("group_by", std::move(gb))
      .set("rows", std::move(list))
      .set("totals", [&] {
        json::Value totals = json::Value::object().set("total_usd", cost::usd(total_nanos)).set("events", total_events);
        add_trust(totals, total_nanos, total_trusted);
        return totals;
      }());
  reply(json_answer(o));
}

}  // namespace

std::vector<Route> cost_routes(App& app) {
  std::vector<Route> r = {
      {"GET", "/v1/budget/{tenant}", [&app](Request& req, Reply reply) { get_budget(app, req, std::move(reply)); }},
      {"GET", "/v1/cost/report", [&app](Request& req, Reply reply) { get_report(app, req, std::move(reply)); }},
  };
  for (Route& b : billing_routes(app)) r.push_back(std::move(b));
  for (Route& b : cost_plan_routes(app)) r.push_back(std::move(b));
  return r;
}

}  // namespace flk::server
