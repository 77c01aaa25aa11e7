// The route handlers, joined to their rows of the route table (app/route_table.cc). Routes that
// only compute are one row each here: a facade op whose input is the JSON body and whose output
// is the 200 body. Routes with state (the PCS pipeline, admin) have their own handlers.
#include "app/app.h"
#include "app/facade.h"
#include "app/route_table.h"
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

// The live risk-score distribution and band counts (the tenant is authenticated, so bounded by
// the tenant directory; task by hrs.score's enum). Every band's series exists once a tenant is
// scored, so band shares are 0 rather than absent.
void count_hrs_score(Metrics& m, const std::string& tenant, const json::Value& in, const json::Value& out) {
  const json::Value* task = in.find("task");
  m.hrs_risk_score.observe({tenant, task && task->is_string() ? task->as_string() : "none"},
                           out.find("probability")->as_double());
  const std::string band = out.find("band")->as_string();
  for (const char* b : {"low", "medium", "high"}) m.hrs_scores.inc({tenant, b}, band == b ? 1 : 0);
}

// Compute is not free, so every call spends a rate: a request that names a tenant
// (X-Tenant-Id) or signs must be signed by that tenant (its body, as usage events) and spends the
// tenant's rate; an unsigned one spends its peer address's (the default rate and burst).
Route op_route(App& app, const OpRoute& row) {
  const std::string op = row.op, row_path = row.path;
  return Route{row.method, row.path, [&app, op, row_path](Request& req, Reply reply) {
                 Response err;
                 if (!is_json_request(req, &err)) return reply(std::move(err));
                 const bool anonymous = req.tenant.empty() && req.signature.empty();
                 std::shared_ptr<const Tenant> signer;
                 if (anonymous ? !app.pipeline->admit_anonymous(req, &err) : !(signer = app.pipeline->authenticate_body(req, &err)))
                   return reply(std::move(err));
                 auto in = parse_json_body(req.body, &err);
                 if (!in) return reply(std::move(err));
                 const std::string tenant = signer ? signer->id : kAnonymousTenant;
                 const bool hrs = op == "hrs.score";
                 PiiScreen screen;
                 if (hrs) {
                   auto s = screen_pii(app.pii.of(tenant), tenant, row_path, *in, hrs_text_fields());
                   if (!s.ok()) return reply(content_error(s.error()));
                   screen = std::move(s.value());
                   if (screen.refusal) return reply_screened(app, screen, *screen.refusal, std::move(reply));
                 }
                 auto out = thread_engine().call_value(op, *in);
                 if (!out.ok()) return reply(content_error(out.error()));
                 if (hrs) count_hrs_score(app.metrics, tenant, *in, *out);
                 if (!screen.report.is_null()) out->set("pii", screen.report);
                 reply_screened(app, screen, json_ok(out.value()), std::move(reply));
               }};
}

// GET /metrics: the values read at scrape time, then every family.
std::string scrape(App& app) {
  Metrics& m = app.metrics;
  const Wal::Stats w = app.wal ? app.wal->stats() : Wal::Stats{};
  m.http_in_flight.set({}, app.http ? double(app.http->in_flight()) : 0);
  m.http_connections.set({}, app.http ? double(app.http->connections()) : 0);
  m.http_connections_max.set({}, app.http ? double(app.http->max_connections()) : 0);
  m.ready.set({}, app.ready && !app.draining ? 1.0 : 0.0);
  m.store_up.set({}, app.store->ping().ok() ? 1.0 : 0.0);
  for (Family* f : {&m.wal_appends, &m.wal_appends_legacy}) f->set({}, double(w.appends));
  for (Family* f : {&m.wal_syncs, &m.wal_syncs_legacy}) f->set({}, double(w.syncs));
  for (Family* f : {&m.wal_segments_deleted, &m.wal_segments_deleted_legacy}) f->set({}, double(w.segments_deleted));
  m.wal_live_bytes.set({}, double(w.live_bytes));
  for (const WorkerPool* p : {app.compute.get(), app.store_pool.get(), app.probe_pool.get()})
    if (p) {
      m.worker_queue_depth.set({p->name()}, double(p->depth()));
      m.worker_busy.set({p->name()}, double(p->busy()));
    }
  std::vector<const Family*> extra = app.anomaly->metrics().families();
  for (const Family* f : app.siem_metrics.families()) extra.push_back(f);
  if (app.verify)
    for (const Family* f : app.verify->metrics.families()) extra.push_back(f);
  if (app.canary)
    for (const Family* f : app.canary->metrics.families()) extra.push_back(f);
  return m.render(extra);
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
                 Response resp;
                 resp.content_type = "text/plain; version=0.0.4";
                 resp.body = scrape(app);
                 reply(std::move(resp));
               }});
  r.push_back({"POST", "/v1/pcs/submit", [&app](Request& req, Reply reply) { app.pipeline->submit_pcs(req, std::move(reply)); }});
  r.push_back({"POST", "/v1/cost/usage", [&app](Request& req, Reply reply) { app.pipeline->submit_usage(req, std::move(reply)); }});
  for (const OpRoute& row : kOpRoutes) r.push_back(op_route(app, row));
  for (Route& a : admin_routes(app)) r.push_back(std::move(a));
  for (Route& a : policy_routes(app)) r.push_back(std::move(a));
  for (Route& a : policy_simulate_routes(app)) r.push_back(std::move(a));
  for (Route& a : canary_routes(app)) r.push_back(std::move(a));
  for (Route& c : cost_routes(app)) r.push_back(std::move(c));
  for (Route& a : anomaly_routes(app)) r.push_back(std::move(a));
  for (Route& v : verify_routes(app)) r.push_back(std::move(v));
  for (Route& a : adaptive_routes(app)) r.push_back(std::move(a));
  // Each handler runs where its row in the route table says; a handler without a row (which
  // tests/js/openapi.test.mjs refuses) runs on the store pool.
  for (Route& route : r) {
    const RouteSpec* spec = find_route_spec(route.method, route.pattern);
    const RoutePool where = spec ? spec->pool : RoutePool::store;
    if (where == RoutePool::io) continue;
    WorkerPool& pool = where == RoutePool::compute ? *app.compute : where == RoutePool::probe ? *app.probe_pool : *app.store_pool;
    route.handler = on_pool(pool, std::move(route.handler));
  }
  return r;
}

}  // namespace flk::server
