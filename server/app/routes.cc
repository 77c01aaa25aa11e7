// The route table. Routes that only compute are one row each: a facade op whose input is the
// JSON body and whose output is the 200 body. Routes with state (the PCS pipeline, admin) have
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

// Compute is not free, so every call spends a rate: a request that names a tenant
// (X-Tenant-Id) or signs must be signed by that tenant (its body, as usage events) and spends the
// tenant's rate; an unsigned one spends its peer address's (the default rate and burst).
Route op_route(App& app, const OpRoute& row) {
  const std::string op = row.op;
  return Route{row.method, row.path, [&app, op](Request& req, Reply reply) {
                 Response err;
                 if (!is_json_request(req, &err)) return reply(std::move(err));
                 const bool anonymous = req.tenant.empty() && req.signature.empty();
                 if (anonymous ? !app.pipeline->admit_anonymous(req, &err) : !app.pipeline->authenticate_body(req, &err))
                   return reply(std::move(err));
                 auto in = parse_json_body(req.body, &err);
                 if (!in) return reply(std::move(err));
                 auto out = thread_engine().call_value(op, *in);
                 if (!out.ok()) return reply(content_error(out.error()));
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
                                                 {"flk_http_connections", app.http ? double(app.http->connections()) : 0},
                                                 {"flk_http_connections_max", app.http ? double(app.http->max_connections()) : 0},
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
  for (const OpRoute& row : kOpRoutes) r.push_back(op_route(app, row));
  for (Route& a : admin_routes(app)) r.push_back(std::move(a));
  for (Route& c : cost_routes(app)) r.push_back(std::move(c));
  for (Route& a : anomaly_routes(app)) r.push_back(std::move(a));
  return r;
}

}  // namespace flk::server
