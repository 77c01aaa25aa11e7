// Tenant cost reads: GET /v1/budget/{tenant} (the budget's window, caps, spend and state) and
// GET /v1/cost/report (a tenant's stored usage events aggregated by provider / model / day /
// month), for the admin or the tenant itself (app/tenant_access.h).
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
#include "store/usage/usage.h"
#include "util/decimal.h"

namespace flk::server {
namespace {

constexpr int64_t kMaxReportDays = 366;

void get_budget(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"ts"}, &err)) return reply(std::move(err));
  auto t = reader(app, req, req.params["tenant"], &err);
  if (!t) return reply(std::move(err));
  auto records = tenants::all(*app.store);
  if (!records.ok()) return reply(store_failure(records.error(), records.error().message, app.metrics));
  std::string budget;
  for (const TenantRecord& r : records.value())
    if (r.id == t->id) budget = r.budget_json;
  if (budget.empty())
    return reply(error_response(404, "no_budget", "tenant \"" + t->id + "\" has no budget (PUT /v1/admin/tenants/{tenant})"));
  const int64_t now = now_ms();
  auto days = budget_days(budget, now);
  auto spent = days.ok() ? usage::spent(*app.store, t->id, days->first, days->second) : Result<int64_t>(days.error());
  if (!spent.ok()) return reply(store_failure(spent.error(), spent.error().message, app.metrics));
  auto state = budget_state(t->id, budget, spent.value(), now);
  if (!state.ok()) return reply(error_response(500, "internal", state.error().message));
  json::Value o = json::Value::object();
  o.set("tenant", t->id).set("policy", json::parse(budget).value()).set("now", rfc3339_ms(now));
  for (const char* k : {"window", "spent_usd", "cap_usd", "remaining_usd", "used_fraction", "reason", "message"})
    o.set(k, *state->find(k));
  o.set("state", *state->find("action"));
  reply(json_answer(o));
}

void get_report(App& app, Request& req, Reply reply) {
  Response err;
  if (!known_params(req.query, {"from", "to", "group_by", "ts"}, &err)) return reply(std::move(err));
  auto t = reader(app, req, named_tenant(req), &err);
  if (!t) return reply(std::move(err));
  int64_t from = 0, to = 0;
  if (!day_range(req, kMaxReportDays, &from, &to, &err)) return reply(std::move(err));
  std::vector<std::string> group_by;
  const std::string g = query_param(req.query, "group_by");
  for (size_t i = 0; i < g.size();) {
    size_t end = g.find(',', i);
    if (end == std::string::npos) end = g.size();
    const std::string k = g.substr(i, end - i);
    i = end + 1;
    bool dup = false;
    for (const auto& h : group_by) dup = dup || h == k;
    if ((k != "provider" && k != "model" && k != "day" && k != "month") || dup)
      return reply(error_response(422, make_error("bad_group_by", "group_by is a comma list of distinct provider, model, "
                                                                  "day, month", "group_by")));
    group_by.push_back(k);
  }
  auto rows = usage::events(*app.store, t->id, from, to);
  if (!rows.ok()) return reply(store_failure(rows.error(), rows.error().message, app.metrics));
  struct Sum {
    int64_t nanos = 0, events = 0;
  };
  std::map<std::vector<std::string>, Sum> groups;
  Sum total;
  for (const UsageRow& row : rows.value()) {
    auto priced = json::parse(row.body);
    const json::Value* usd = priced.ok() ? priced->find("total_usd") : nullptr;
    auto nanos = usd && usd->is_string() ? parse_decimal(usd->as_string(), 9) : Result<int64_t>(make_error("bad", ""));
    if (!nanos.ok()) return reply(error_response(500, "internal", "a stored usage event is unreadable"));
    std::vector<std::string> key;
    for (const std::string& k : group_by) {
      if (k == "day" || k == "month") {
        key.push_back(rfc3339_ms(row.created_ms).substr(0, k == "day" ? 10 : 7));
      } else {
        const json::Value* v = priced->find(k);
        key.push_back(v && v->is_string() ? v->as_string() : "");
      }
    }
    Sum& s = groups[key];
    s.nanos += nanos.value();
    s.events += 1;
    total.nanos += nanos.value();
    total.events += 1;
  }
  json::Value list = json::Value::array();
  for (const auto& [key, s] : groups) {
    json::Value k = json::Value::object();
    for (size_t i = 0; i < key.size(); ++i) k.set(group_by[i], key[i]);
    list.push(json::Value::object().set("key", std::move(k)).set("total_usd", cost::usd(s.nanos)).set("events", s.events));
  }
  json::Value gb = json::Value::array();
  for (const auto& k : group_by) gb.push(k);
  json::Value o = json::Value::object();
  o.set("tenant", t->id)
      .set("from", query_param(req.query, "from"))
      .set("to", query_param(req.query, "to"))
      .set("group_by", std::move(gb))
      .set("rows", std::move(list))
      .set("totals", json::Value::object().set("total_usd", cost::usd(total.nanos)).set("events", total.events));
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
