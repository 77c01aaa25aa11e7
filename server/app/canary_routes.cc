// Canary rollouts' admin routes (docs/server.md, "Canary rollouts"):
//   POST /v1/admin/tenants/{tenant}/canary  {candidate, canary, actor, reason, evaluate_every?}
//                                           starts a rollout (201; 409 while one runs)
//   GET  /v1/admin/tenants/{tenant}/canary  the tenant's latest rollout: state, gates, observations
#include "app/app.h"
#include "app/canary_hub.h"
#include "app/facade.h"
#include "app/tenant_access.h"

namespace flk::server {
namespace {

void post_canary(App& app, Request& req, Reply reply) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto started = app.canary->start(tenant, body, now_ms());
  if (!started.ok()) {
    if (started.error().code == "conflict") return reply(error_response(409, started.error()));
    if (started.error().path.empty()) return reply(store_failure(started.error(), started.error().message, app.metrics));
    return reply(content_error(started.error()));
  }
  Response r = json_answer(started.value());
  r.status = 201;
  reply(std::move(r));
}

void get_canary(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto s = app.canary->status(tenant);
  if (!s.ok()) return reply(store_failure(s.error(), s.error().message, app.metrics));
  if (s->is_null()) return reply(error_response(404, "no_rollout", "tenant \"" + tenant + "\" has no canary rollout"));
  reply(json_answer(s.value()));
}

}  // namespace

std::vector<Route> canary_routes(App& app) {
  return {
      {"POST", "/v1/admin/tenants/{tenant}/canary", [&app](Request& req, Reply reply) { post_canary(app, req, std::move(reply)); }},
      {"GET", "/v1/admin/tenants/{tenant}/canary", [&app](Request& req, Reply reply) { get_canary(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
