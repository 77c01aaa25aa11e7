#include "app/cost_plan_routes.h"

#include <memory>

#include "app/facade.h"
#include "app/query_int.h"
#include "app/stored_ledger.h"
#include "app/tenant_access.h"

namespace flk::server {
namespace {

constexpr int64_t kMaxHistoryDays = 366;

// The tenant's stored usage of [from, to) in an engine's ledger, and the op input's scope.
struct Loaded {
  std::shared_ptr<const Tenant> tenant;
  int64_t without_input = 0;
  json::Value scope = json::Value::object();
};

bool load(App& app, Request& req, Engine& engine, Loaded* l, Response* err) {
  l->tenant = reader(app, req, named_tenant(req), err);
  int64_t from = 0, to = 0;
  if (!l->tenant || !day_range(req, kMaxHistoryDays, &from, &to, err)) return false;
  auto n = load_stored_usage(app, engine, l->tenant->id, from, to, err);
  if (!n) return false;
  l->without_input = *n;
  // The ledger holds [from, to) only; the series runs from its first to its last day with usage, so
  // days not yet lived (to may be in the future) never count as history.
  l->scope.set("tenant", l->tenant->id);
  for (const char* k : {"model", "task"}) {
    const std::string v = query_param(req.query, k);
    if (!v.empty()) l->scope.set(k, v);
  }
  return true;
}

void answer(Reply& reply, Result<json::Value> out, const Loaded& l) {
  if (!out.ok()) return reply(content_error(out.error()));
  out->set("tenant", l.tenant->id).set("events_without_input", l.without_input);
  reply(json_answer(out.value()));
}

void get_forecast(App& app, Request& req, Reply reply) {
  Response err;
  int64_t horizon = 0;
  if (!known_params(req.query, {"from", "to", "model", "task", "horizon", "backtest", "ts"}, &err) ||
      !int_param(req, "horizon", 1, 366, 7, &horizon, &err))
    return reply(std::move(err));
  const std::string backtest = query_param(req.query, "backtest");
  if (!backtest.empty() && backtest != "true" && backtest != "false")
    return reply(error_response(422, make_error("out_of_range", "backtest is true or false", "backtest")));
  Engine engine;
  Loaded l;
  if (!load(app, req, engine, &l, &err)) return reply(std::move(err));
  json::Value in = std::move(l.scope);
  in.set("horizon", horizon).set("backtest", backtest == "true");
  answer(reply, engine.call_value("cost.forecast", in), l);
}

void get_advice(App& app, Request& req, Reply reply) {
  Response err;
  int64_t horizon = 0;
  if (!known_params(req.query, {"from", "to", "model", "task", "cap_usd", "horizon", "latency_tolerant_tasks", "ts"}, &err) ||
      !int_param(req, "horizon", 1, 366, 30, &horizon, &err))
    return reply(std::move(err));
  Engine engine;
  Loaded l;
  if (!load(app, req, engine, &l, &err)) return reply(std::move(err));
  json::Value in = std::move(l.scope);
  in.set("budget_horizon_days", horizon);
  const std::string cap = query_param(req.query, "cap_usd"), tasks = query_param(req.query, "latency_tolerant_tasks");
  if (!cap.empty()) in.set("budget_cap_usd", cap);
  json::Value list = json::Value::array();
  for (size_t i = 0; i < tasks.size();) {
    size_t end = tasks.find(',', i);
    if (end == std::string::npos) end = tasks.size();
    if (end > i) list.push(tasks.substr(i, end - i));
    i = end + 1;
  }
  in.set("latency_tolerant_tasks", std::move(list));
  answer(reply, engine.call_value("cost.advise", in), l);
}

}  // namespace

std::vector<Route> cost_plan_routes(App& app) {
  return {
      {"GET", "/v1/cost/forecast", [&app](Request& req, Reply reply) { get_forecast(app, req, std::move(reply)); }},
      {"GET", "/v1/cost/advice", [&app](Request& req, Reply reply) { get_advice(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
