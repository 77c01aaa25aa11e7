// The adaptive gate's admin routes (docs/server.md, "Adaptive per tenant"):
//   GET /v1/admin/tenants/{tenant}/adaptive     the bandit state of each adaptive EnsemblePolicy
//                                               the tenant ran (by policy hash), its voters' agreement
//   GET /v1/admin/tenants/{tenant}/labels/eval  hrs.eval_scores over the tenant's labelled decisions
//                                               (?limit=1..10000, default 10000; ?source=)
#include <map>
#include <optional>

#include "app/app.h"
#include "app/facade.h"
#include "app/query_int.h"
#include "app/tenant_access.h"
#include "json/parse.h"
#include "store/adaptive/adaptive.h"
#include "store/verify/verify.h"

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

// A labelled decision as an hrs.eval_scores row: the risk voter's probability and logit, by the
// model that scored it. Decisions whose risk voter did not answer have no score: skipped.
std::optional<json::Value> score_row(const json::Value& doc, bool hallucinated, std::string* model) {
  const json::Value* d = doc.find("decision");
  if (!d) return std::nullopt;
  for (const json::Value& v : d->find("ensemble")->find("votes")->as_array()) {
    if (v.find("voter")->as_string() != "risk" || v.find("status")->as_string() != "ok") continue;
    *model = d->find("model_id")->as_string();
    json::Value row = json::Value::object();
    row.set("probability", *v.find("score")).set("label", hallucinated ? 1 : 0);
    if (const json::Value* logit = v.find("evidence")->find("logit")) row.set("logit", *logit);
    return row;
  }
  return std::nullopt;
}

void get_labels_eval(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {"limit", "source"}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  int64_t limit = 0;
  if (!int_param(req, "limit", 1, 10000, 10000, &limit, &err)) return reply(std::move(err));
  auto rows = verify::labelled(*app.store, tenant, query_param(req.query, "source"), limit);
  if (!rows.ok()) return reply(store_failure(rows.error(), rows.error().message, app.metrics));
  // Rows of the model that scored most of them: metrics and drift mean one model.
  std::map<std::string, json::Value> by_model;
  int64_t unscored = 0;
  for (const verify::Labelled& l : rows.value()) {
    auto doc = json::parse(l.body);
    if (!doc.ok()) return reply(store_failure(doc.error(), "a stored decision is not JSON", app.metrics));
    std::string model;
    auto row = score_row(doc.value(), l.hallucinated, &model);
    if (!row) {
      ++unscored;
      continue;
    }
    auto [it, fresh] = by_model.try_emplace(model, json::Value::array());
    it->second.push(std::move(*row));
  }
  json::Value o = json::Value::object();
  o.set("tenant", tenant).set("labelled", static_cast<int64_t>(rows->size())).set("unscored", unscored);
  const json::Value* most = nullptr;
  std::string most_id;
  for (const auto& [id, list] : by_model)
    if (!most || list.as_array().size() > most->as_array().size()) most = &list, most_id = id;
  if (!most) return reply(json_answer(o.set("eval", json::Value())));
  o.set("other_models", static_cast<int64_t>(rows->size()) - unscored - static_cast<int64_t>(most->as_array().size()));
  json::Value in = json::Value::object();
  in.set("rows", *most).set("model_id", most_id);
  auto eval = thread_engine().call_value("hrs.eval_scores", in);
  if (!eval.ok()) return reply(error_response(409, eval.error()));
  reply(json_answer(o.set("eval", eval.value())));
}

}  // namespace

std::vector<Route> adaptive_routes(App& app) {
  return {
      {"GET", "/v1/admin/tenants/{tenant}/adaptive", [&app](Request& req, Reply reply) { get_adaptive(app, req, std::move(reply)); }},
      {"GET", "/v1/admin/tenants/{tenant}/labels/eval",
       [&app](Request& req, Reply reply) { get_labels_eval(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
