// The adaptive gate's admin route (docs/server.md, "Adaptive per tenant"):
//   GET /v1/admin/tenants/{tenant}/adaptive  the bandit state of each adaptive EnsemblePolicy the
//                                            tenant ran (by policy hash) and its voters' agreement
#include "app/app.h"
#include "app/facade.h"
#include "app/tenant_access.h"
#include "json/parse.h"
#include "store/adaptive/adaptive.h"

namespace flk::server {
namespace {

// The counters as ensemble.agreement answers them, so the rates are computed in one place.
Result<json::Value> agreement_json(const std::vector<PairCount>& pairs) {
  json::Value list = json::Value::array();
  for (const PairCount& p : pairs)
    list.push(json::Value::object().set("a", p.a).set("b", p.b).set("both", p.both).set("agree", p.agree));
  json::Value in = json::Value::object();
  in.set("decisions", json::Value::array()).set("counts", json::Value::object().set("pairs", std::move(list)));
  return thread_engine().call_value("ensemble.agreement", in);
}

void get_adaptive(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto rows = adaptive::bandits(*app.store, tenant);
  if (!rows.ok()) return reply(store_failure(rows.error(), rows.error().message, app.metrics));
  auto pairs = adaptive::agreement(*app.store, tenant);
  if (!pairs.ok()) return reply(store_failure(pairs.error(), pairs.error().message, app.metrics));
  json::Value bandits = json::Value::array();
  for (const adaptive::BanditRow& b : rows.value()) {
    auto state = b.state.empty() ? Result<json::Value>(json::Value()) : json::parse(b.state);
    if (!state.ok()) return reply(store_failure(state.error(), "a stored bandit state is not JSON", app.metrics));
    bandits.push(json::Value::object().set("policy", b.policy).set("state", state.value()).set("updated", rfc3339_ms(b.updated)));
  }
  auto agreement = agreement_json(pairs.value());
  if (!agreement.ok()) return reply(store_failure(agreement.error(), agreement.error().message, app.metrics));
  json::Value o = json::Value::object();
  o.set("tenant", tenant).set("bandits", std::move(bandits)).set("agreement", agreement.value());
  reply(json_answer(o));
}

}  // namespace

std::vector<Route> adaptive_routes(App& app) {
  return {
      {"GET", "/v1/admin/tenants/{tenant}/adaptive", [&app](Request& req, Reply reply) { get_adaptive(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
