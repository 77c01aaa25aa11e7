// Canary rollouts' admin routes (docs/server.md, "Canary rollouts"):
//   POST /v1/admin/tenants/{tenant}/canary  {candidate, canary, actor, reason, evaluate_every?,
//                                           evaluate_every_ms?}
//                                           starts a rollout (201; 409 while one runs)
//   GET  /v1/admin/tenants/{tenant}/canary  the tenant's latest rollout: state, gates, observations
//   POST /v1/admin/tenants/{tenant}/canary/abort  {actor, reason} ends the running one (409: none)
#include "app/app.h"
#include "app/canary_hub.h"
#include "app/facade.h"
#include "app/tenant_access.h"

namespace flk::server {
namespace {

// A change of the tenant's rollout by `change` (start or abort), answered with `status`.
void change(App& app, Request& req, Reply reply, int status,
            Result<json::Value> (CanaryHub::*change)(const std::string&, const json::Value&, int64_t)) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto changed = (app.canary.get()->*change)(tenant, body, now_ms());
  if (!changed.ok()) {
    if (changed.error().code == "conflict") return reply(error_response(409, changed.error()));
    if (changed.error().path.empty()) return reply(store_failure(changed.error(), changed.error().message, app.metrics));
    return reply(content_error(changed.error()));
  }
  Response r = json_answer(changed.value());
  r.status = status;
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
      {"POST", "/v1/admin/tenants/{tenant}/canary",
       [&app](Request& req, Reply reply) { change(app, req, std::move(reply), 201, &CanaryHub::start); }},
      {"POST", "/v1/admin/tenants/{tenant}/canary/abort",
       [&app](Request& req, Reply reply) { change(app, req, std::move(reply), 200, &CanaryHub::abort); }},
      {"GET", "/v1/admin/tenants/{tenant}/canary", [&app](Request& req, Reply reply) { get_canary(app, req, std::move(reply)); }},
  };
}

}  // namespace flk::server
