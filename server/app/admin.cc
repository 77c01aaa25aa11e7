// /v1/admin/*: tenants, keys (rotation: add a new key, retire the old one with an overlap) and
// the audit log export, behind a bearer token. Every change is an audit entry written in the
// same transaction as the change.
#include <unistd.h>

#include "app/app.h"
#include "app/budget.h"
#include "app/facade.h"
#include "app/query_int.h"
#include "app/tenant_access.h"
#include "crypto/hash.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "store/audit/audit.h"
#include "store/tenants/tenants.h"

namespace flk::server {
namespace {

constexpr size_t kMaxAuditPage = 100000;

Response json_response(int status, const json::Value& v) {
  Response r;
  r.status = status;
  r.body = json::to_string(v);
  return r;
}

}  // namespace

bool authorized(const App& app, const Request& req, Response* err) {
  if (app.config.admin_token.empty()) {
    *err = error_response(403, "admin_disabled", "start the server with --admin-token to use the admin endpoints");
    return false;
  }
  const std::string want = "Bearer " + app.config.admin_token;
  const auto a = crypto::sha256(req.authorization), b = crypto::sha256(want);
  if (crypto::equal_ct(a.data(), b.data(), a.size())) return true;
  *err = error_response(401, "unauthorized", "an Authorization: Bearer <admin token> header is required");
  err->headers.emplace_back("WWW-Authenticate", "Bearer");
  return false;
}

std::shared_ptr<const Tenant> existing_tenant(App& app, const std::string& id, Response* err) {
  auto snap = app.tenants->snapshot();
  auto it = snap->find(id);
  if (it != snap->end()) return std::shared_ptr<const Tenant>(snap, &it->second);
  *err = error_response(404, "unknown_tenant", "tenant \"" + id + "\" is not registered");
  return nullptr;
}

bool read_body(const Request& req, json::Value* out, Response* err) {
  if (req.body.empty()) {
    *out = json::Value::object();
    return true;
  }
  if (!is_json_request(req, err)) return false;
  auto v = json::parse(req.body);
  if (!v.ok()) {
    *err = error_response(400, v.error());
    return false;
  }
  *out = std::move(v.value());
  return true;
}

namespace {

json::Value tenant_json(const TenantRecord& t, int64_t now) {
  json::Value o = json::Value::object();
  o.set("id", t.id).set("rate_per_sec", t.rate_per_sec).set("burst", t.burst);
  if (auto budget = json::parse(t.budget_json); !t.budget_json.empty() && budget.ok()) o.set("budget", budget.value());
  json::Value keys = json::Value::array();
  for (const KeyRecord& k : t.keys) {
    json::Value kj = json::Value::object();
    kj.set("kid", k.kid).set("alg", k.alg).set("not_before", rfc3339_ms(k.not_before_ms));
    if (k.not_after_ms) kj.set("not_after", rfc3339_ms(*k.not_after_ms));
    kj.set("live", k.not_before_ms <= now && (!k.not_after_ms || now < *k.not_after_ms));
    keys.push(std::move(kj));
  }
  o.set("keys", std::move(keys));
  return o;
}

// Runs one admin write through the batcher, reloads the tenants, and answers.
template <typename W>
void commit(App& app, std::unique_ptr<W> w, std::function<Response(const W&)> answer, Reply reply) {
  app.batcher->submit(std::move(w), [&app, answer = std::move(answer), reply = std::move(reply)](Write& w, const Status& s) {
    if (!s.ok()) return reply(store_failure(s, s.error().message, app.metrics));
    Status r = app.reload_tenants();
    if (!r.ok()) return reply(store_failure(r, r.error().message, app.metrics));
    reply(answer(static_cast<const W&>(w)));
  });
}


void put_tenant(App& app, Request& req, Reply reply) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string id = req.params["tenant"];
  if (!is_tenant_id(id)) return reply(error_response(422, "bad_format", std::string("tenant ids are ") + kTenantIdRule));
  auto r = json::ObjectReader::open(body, "$");
  if (!r.ok()) return reply(error_response(422, r.error()));
  auto rate = r->opt_number("rate_per_sec", {0, 1e9});
  auto burst = rate.ok() ? r->opt_number("burst", {0, 1e9}) : Result<std::optional<double>>(rate.error());
  const json::Value* budget_in = burst.ok() ? r->optional("budget") : nullptr;
  Result<std::string> budget = budget_in ? check_budget(*budget_in, "$.budget") : Result<std::string>(std::string());
  Status fin = !burst.ok() ? Status(burst.error()) : !budget.ok() ? Status(budget.error()) : r->finish();
  if (!fin.ok()) return reply(error_response(422, fin.error()));
  auto w = std::make_unique<TenantWrite>();
  w->tenant = id;
  w->rate_per_sec = rate->value_or(0);
  w->burst = burst->value_or(0);
  w->budget_json = budget.value();
  json::Value data = json::Value::object();
  data.set("rate_per_sec", w->rate_per_sec).set("burst", w->burst);
  if (!w->budget_json.empty()) data.set("budget", json::parse(w->budget_json).value());
  w->audit = AuditDraft{"tenant.updated", id, data, now_ms()};
  commit<TenantWrite>(app, std::move(w), [data](const TenantWrite& w) {
    json::Value o = data;
    o.set("id", w.tenant);
    return json_response(200, o);
  }, std::move(reply));
}

void add_key(App& app, Request& req, Reply reply) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto w = std::make_unique<KeyWrite>();
  KeyRecord& k = w->key;
  k.tenant = tenant;
  Status s = [&]() -> Status {
    FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
    FLK_ASSIGN(k.kid, r.string("kid", 128));
    if (!is_tenant_id(k.kid)) return make_error("bad_format", std::string("key ids are ") + kTenantIdRule, "$.kid");
    FLK_ASSIGN(const json::Value* key, r.required("key"));
    FLK_TRY(check_key(*key, "$.key"));
    k.alg = key->find("alg")->as_string();
    k.key_json = json::to_string(*key);
    k.not_before_ms = now_ms();
    for (const char* field : {"not_before", "not_after"}) {
      FLK_ASSIGN(auto when, r.opt_string(field, 64));
      if (!when) continue;
      auto ms = parse_rfc3339_ms(*when);
      if (!ms) return make_error("bad_format", std::string("$.") + field + " must be an RFC 3339 timestamp", std::string("$.") + field);
      if (field[4] == 'b') k.not_before_ms = *ms;
      else k.not_after_ms = *ms;
    }
    return r.finish();
  }();
  if (!s.ok()) return reply(error_response(422, s.error()));
  json::Value data = json::Value::object();
  data.set("kid", k.kid).set("alg", k.alg).set("not_before", rfc3339_ms(k.not_before_ms));
  if (k.not_after_ms) data.set("not_after", rfc3339_ms(*k.not_after_ms));
  w->audit = AuditDraft{"key.added", tenant, data, now_ms()};
  commit<KeyWrite>(app, std::move(w), [data](const KeyWrite& w) {
    if (!w.won) return error_response(409, "key_exists", "tenant \"" + w.key.tenant + "\" already has a key \"" + w.key.kid + "\"");
    return json_response(201, data);
  }, std::move(reply));
}

void retire_key(App& app, Request& req, Reply reply) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  auto r = json::ObjectReader::open(body, "$");
  if (!r.ok()) return reply(error_response(422, r.error()));
  auto overlap = r->opt_integer("overlap_seconds", 0, 10LL * 365 * 24 * 3600);
  Status fin = overlap.ok() ? r->finish() : Status(overlap.error());
  if (!fin.ok()) return reply(error_response(422, fin.error()));
  auto w = std::make_unique<RetireKeyWrite>();
  w->key.tenant = tenant;
  w->key.kid = req.params["kid"];
  w->key.not_after_ms = now_ms() + overlap->value_or(app.config.key_overlap_s) * 1000;
  json::Value data = json::Value::object();
  data.set("kid", w->key.kid).set("not_after", rfc3339_ms(*w->key.not_after_ms));
  w->audit = AuditDraft{"key.retired", tenant, data, now_ms()};
  commit<RetireKeyWrite>(app, std::move(w), [data](const RetireKeyWrite& w) {
    if (!w.won)
      return error_response(404, "unknown_key", "tenant \"" + w.key.tenant + "\" has no key \"" + w.key.kid +
                                                    "\" that is live past that time");
    return json_response(200, data);
  }, std::move(reply));
}

void list_tenants(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {}, &err)) return reply(std::move(err));
  auto ts = tenants::all(*app.store);
  if (!ts.ok()) return reply(store_failure(ts.error(), ts.error().message, app.metrics));
  json::Value list = json::Value::array();
  const int64_t now = now_ms();
  for (const TenantRecord& t : ts.value()) list.push(tenant_json(t, now));
  json::Value o = json::Value::object();
  o.set("tenants", std::move(list));
  reply(json_response(200, o));
}

void export_audit(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {"format", "after_seq", "limit"}, &err))
    return reply(std::move(err));
  const std::string format = query_param(req.query, "format");
  int64_t a = 0, n = 0;
  if (!int_param(req, "after_seq", 0, INT64_MAX / 2, 0, &a, &err) ||
      !int_param(req, "limit", 1, static_cast<int64_t>(kMaxAuditPage), 10000, &n, &err))
    return reply(std::move(err));
  if (!format.empty() && format != "jsonl" && format != "cloudevents")
    return reply(error_response(422, "out_of_range", "format is jsonl or cloudevents"));
  auto entries = audit::entries(*app.store, a, static_cast<size_t>(n));
  if (!entries.ok()) return reply(store_failure(entries.error(), entries.error().message, app.metrics));
  Response r;
  r.content_type = "application/x-ndjson";
  std::string jsonl;
  for (const std::string& e : entries.value()) jsonl += e + "\n";
  if (format == "cloudevents") {
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    json::Value in = json::Value::object();
    in.set("jsonl", jsonl).set("source", std::string("//flk-server/") + host);
    auto out = thread_engine().call_value("audit.cloudevents", in);
    if (!out.ok()) return reply(error_response(500, "internal", out.error().message));
    jsonl.clear();
    for (const json::Value& ev : out->find("events")->as_array()) jsonl += json::to_string(ev) + "\n";
  }
  r.body = std::move(jsonl);
  reply(std::move(r));
}

void audit_head(App& app, Request& req, Reply reply) {
  Response err;
  if (!authorized(app, req, &err) || !known_params(req.query, {}, &err)) return reply(std::move(err));
  auto h = audit::head(*app.store);
  if (!h.ok()) return reply(store_failure(h.error(), h.error().message, app.metrics));
  json::Value o = json::Value::object();
  o.set("seq", h->seq).set("hash", h->hash);
  reply(json_response(200, o));
}

}  // namespace

std::vector<Route> admin_routes(App& app) {
  auto bind = [&app](void (*f)(App&, Request&, Reply)) {
    return [&app, f](Request& req, Reply reply) { f(app, req, std::move(reply)); };
  };
  return {
      {"GET", "/v1/admin/tenants", bind(list_tenants)},
      {"PUT", "/v1/admin/tenants/{tenant}", bind(put_tenant)},
      {"POST", "/v1/admin/tenants/{tenant}/keys", bind(add_key)},
      {"POST", "/v1/admin/tenants/{tenant}/keys/{kid}/retire", bind(retire_key)},
      {"GET", "/v1/admin/audit", bind(export_audit)},
      {"GET", "/v1/admin/audit/head", bind(audit_head)},
  };
}

}  // namespace flk::server
