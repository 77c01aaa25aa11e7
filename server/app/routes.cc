// The route table. Routes that only compute are one row each: a facade op whose input is the
// JSON body and whose output is the 200 body, for a registered tenant within its rate. Routes with state (the PCS pipeline, admin) have
// their own handlers.
#include "app/app.h"
#include "app/facade.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

struct OpRoute {
  const char* method;
  const char* path;
  const char* op;
};

// Facade ops served as they are.
const OpRoute kOpRoutes[] = {
    {"POST", "/v1/audit/verify", "audit.verify"},
    {"POST", "/v1/hrs/score", "hrs.score"},
};

Response json_ok(const json::Value& v, int status = 200) {
  Response r;
  r.status = status;
  r.body = json::to_string(v);
  return r;
}

// The caller names a registered tenant (X-Tenant-Id) and spends its rate, as on every other
// route: compute is not free, so an anonymous client cannot take the server's CPU.
Route op_route(App& app, const OpRoute& row, size_t max_body) {
  const std::string op = row.op;
  return Route{row.method, row.path, [&app, op, max_body](Request& req, Reply reply) {
                 Response err;
                 auto tenant = app.pipeline->resolve_tenant(req, &err);
                 if (!tenant || !app.pipeline->admit(*tenant, &err)) return reply(std::move(err));
                 if (!is_json_request(req, &err)) return reply(std::move(err));
                 json::ParseLimits limits;
                 limits.max_bytes = max_body;
                 auto in = json::parse(req.body, limits);
                 if (!in.ok()) return reply(error_response(400, in.error()));
                 auto out = thread_engine().call_value(op, in.value());
                 if (!out.ok()) return reply(error_response(out.error().code == "bad_json" ? 400 : 422, out.error()));
                 reply(json_ok(out.value()));
               }};
}

}  // namespace

std::vector<Route> routes(App& app) {
  std::vector<Route> r;
  r.push_back({"GET", "/healthz", [](Request&, Reply reply) {
                 json::Value v = json::Value::object();
                 v.set("status", "ok");
                 reply(json_ok(v));
               }});
  r.push_back({"GET", "/readyz", [&app](Request&, Reply reply) {
                 json::Value v = json::Value::object();
                 v.set("store", app.store->kind());
                 Status ping = app.store->ping();
                 const bool ready = app.ready && !app.draining && ping.ok();
                 v.set("status", ready ? "ready" : app.draining ? "draining" : !app.ready ? "starting" : "store_unavailable");
                 if (!app.wal_notices.empty()) {
                   json::Value notices = json::Value::array();
                   for (const std::string& n : app.wal_notices) notices.push(n);
                   v.set("notices", std::move(notices));
                 }
                 reply(json_ok(v, ready ? 200 : 503));
               }});
  r.push_back({"GET", "/metrics", [&app](Request&, Reply reply) {
                 Wal::Stats w = app.wal ? app.wal->stats() : Wal::Stats{};
                 Response resp;
                 resp.content_type = "text/plain; version=0.0.4";
                 resp.body = app.metrics.render({{"flk_http_in_flight", app.http ? double(app.http->in_flight()) : 0},
                                                 {"flk_ready", app.ready && !app.draining ? 1.0 : 0.0},
                                                 {"flk_wal_appends", double(w.appends)},
                                                 {"flk_wal_syncs", double(w.syncs)},
                                                 {"flk_wal_segments_deleted", double(w.segments_deleted)},
                                                 {"flk_wal_live_bytes", double(w.live_bytes)}}) +
                             app.anomaly->metrics().render();
                 reply(std::move(resp));
               }});
  r.push_back({"POST", "/v1/pcs/submit", [&app](Request& req, Reply reply) { app.pipeline->submit_pcs(req, std::move(reply)); }});
  r.push_back({"POST", "/v1/cost/usage", [&app](Request& req, Reply reply) { app.pipeline->submit_usage(req, std::move(reply)); }});
  for (const OpRoute& row : kOpRoutes) r.push_back(op_route(app, row, static_cast<size_t>(app.config.max_body)));
  for (Route& a : admin_routes(app)) r.push_back(std::move(a));
  for (Route& c : cost_routes(app)) r.push_back(std::move(c));
  for (Route& a : anomaly_routes(app)) r.push_back(std::move(a));
  return r;
}

}  // namespace flk::server
