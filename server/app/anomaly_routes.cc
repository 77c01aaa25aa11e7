// /v1/anomaly/*: points scored online by the tenant's model (observe), labelled feedback that
// tunes the tenant's threshold, and the flagged events; plus the admin routes that install a
// tenant's model. Writes are signed by the tenant like POST /v1/cost/usage (X-Flk-Signature
// over the body); the events are read with the admin token or the tenant's signature over the
// request line with a fresh ts, as the cost reads (app/tenant_access.h). Each flagged point is stored once per (tenant, series, ts)
// and appended to the audit chain in the same transaction.
#include <optional>

#include "app/app.h"
#include "app/facade.h"
#include "app/query_int.h"
#include "app/tenant_access.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

constexpr long long kMaxEventPage = 1000;

Response json_answer(int status, const json::Value& v) {
  Response r;
  r.status = status;
  r.body = json::to_string(v);
  return r;
}

// Commits the writes (one batch per write, all before the answer), then replies.
void commit_then_reply(App& app, std::vector<std::unique_ptr<Write>> writes, json::Value answer, Reply reply) {
  if (writes.empty()) return reply(json_answer(200, answer));
  struct Pending {
    std::mutex mu;
    size_t left;
    std::optional<Status> failed;
  };
  auto p = std::make_shared<Pending>();
  p->left = writes.size();
  auto shared_answer = std::make_shared<json::Value>(std::move(answer));
  for (auto& w : writes)
    app.batcher->submit(std::move(w), [&app, p, shared_answer, reply](Write&, const Status& s) {
      std::lock_guard<std::mutex> l(p->mu);
      if (!s.ok() && !p->failed) p->failed = s;
      if (--p->left > 0) return;
      if (p->failed) return reply(store_failure(*p->failed, "the anomaly state could not be stored", app.metrics));
      reply(json_answer(200, *shared_answer));
    });
}

// The steps every tenant write takes: JSON body, signature, rate limit, parse.
bool signed_tenant_body(App& app, Request& req, std::string* tenant, json::Value* body, Response* err) {
  if (!is_json_request(req, err)) return false;
  auto t = app.pipeline->authenticate_body(req, err);
  if (!t) return false;
  auto doc = parse_json_body(req.body, err);
  if (!doc) return false;
  *tenant = t->id;
  *body = std::move(*doc);
  return true;
}

// A tenant's signed write, handled by one of the hub's calls.
using HubCall = Result<AnomalyOutcome> (AnomalyHub::*)(const std::string&, const json::Value&, int64_t);
template <HubCall call>
void signed_write(App& app, Request& req, Reply reply) {
  Response err;
  std::string tenant;
  json::Value body;
  if (!signed_tenant_body(app, req, &tenant, &body, &err)) return reply(std::move(err));
  auto out = (app.anomaly.get()->*call)(tenant, body, now_ms());
  if (!out.ok()) return reply(content_error(out.error()));
  commit_then_reply(app, std::move(out->writes), std::move(out->answer), std::move(reply));
}

// Admin token (any tenant, "_self" included, named by X-Tenant-Id or ?tenant=), or the tenant's
// own signature over the request line with a fresh ts, e.g.
// "GET /v1/anomaly/events?since=0&limit=10&ts=1700000000000" (the cost reads' rule).
bool events_reader(App& app, Request& req, std::string* tenant, Response* err) {
  if (!req.authorization.empty()) {
    if (!authorized(app, req, err)) return false;
    const std::string q = query_param(req.query, "tenant");
    *tenant = !q.empty() ? q : named_tenant(req);
    return true;
  }
  auto t = reader(app, req, named_tenant(req), err);
  if (!t) return false;
  *tenant = t->id;
  return true;
}

void events(App& app, Request& req, Reply reply) {
  Response err;
  std::string tenant;
  if (!known_params(req.query, {"since", "after_id", "limit", "tenant", "ts"}, &err) || !events_reader(app, req, &tenant, &err))
    return reply(std::move(err));
  const std::string after = query_param(req.query, "after_id");
  int64_t s = 0, n = 0;  // since: milliseconds since the epoch
  if (!int_param(req, "since", 0, INT64_MAX / 2, 0, &s, &err) || !int_param(req, "limit", 1, kMaxEventPage, 100, &n, &err))
    return reply(std::move(err));
  if (after.size() > 300) return reply(error_response(422, make_error("out_of_range", "after_id is too long", "after_id")));
  // since is inclusive: without after_id the cursor is the end of the millisecond before it
  // (event ids are printable ASCII, so none sorts after "\x7f").
  auto rows = anomaly::events(*app.store, tenant, after.empty() ? s - 1 : s,
                              after.empty() ? std::string(1, '\x7f') : after, static_cast<size_t>(n));
  if (!rows.ok()) return reply(store_failure(rows.error(), rows.error().message, app.metrics));
  Response r;
  r.body = "{\"events\":[";
  for (size_t i = 0; i < rows->size(); ++i) r.body += (i ? "," : "") + (*rows)[i].body;
  r.body += "]";
  if (rows->size() == static_cast<size_t>(n)) {
    r.body += ",\"next\":{\"after_id\":";
    json::append_quoted(r.body, rows->back().id);
    r.body += ",\"since\":" + std::to_string(rows->back().created_ms) + "}";
  }
  r.body += ",\"tenant\":";
  json::append_quoted(r.body, tenant);
  r.body += "}";
  reply(std::move(r));
}

void put_model(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err)) return reply(std::move(err));
  if (!is_json_request(req, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (tenant != kSelfTenant && app.tenants->snapshot()->count(tenant) == 0)
    return reply(error_response(404, "unknown_tenant", "tenant \"" + tenant + "\" is not registered"));
  auto doc = parse_json_body(req.body, &err);
  if (!doc) return reply(std::move(err));
  auto out = app.anomaly->put_model(tenant, *doc, now_ms());
  if (!out.ok()) return reply(content_error(out.error()));
  commit_then_reply(app, std::move(out->writes), std::move(out->answer), std::move(reply));
}

void get_model(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (tenant != kSelfTenant && app.tenants->snapshot()->count(tenant) == 0)
    return reply(error_response(404, "unknown_tenant", "tenant \"" + tenant + "\" is not registered"));
  auto out = app.anomaly->describe(tenant);
  if (!out.ok()) return reply(content_error(out.error()));
  reply(json_answer(200, out.value()));
}

}  // namespace

std::vector<Route> anomaly_routes(App& app) {
  auto bind = [&app](void (*f)(App&, Request&, Reply)) {
    return [&app, f](Request& req, Reply reply) { f(app, req, std::move(reply)); };
  };
  return {
      {"POST", "/v1/anomaly/observe", bind(signed_write<&AnomalyHub::observe>)},
      {"POST", "/v1/anomaly/feedback", bind(signed_write<&AnomalyHub::feedback>)},
      {"GET", "/v1/anomaly/events", bind(events)},
      {"PUT", "/v1/admin/tenants/{tenant}/anomaly/model", bind(put_model)},
      {"GET", "/v1/admin/tenants/{tenant}/anomaly/model", bind(get_model)},
  };
}

}  // namespace flk::server
