#include "app/pipeline.h"

#include <chrono>
#include <cmath>
#include <cstring>

#include "app/facade.h"
#include "app/log.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

// The stored canonical body with "duplicate" added. Keys are in code-point order, so it goes
// right after the leading "accepted" member; anything else is rewritten the long way.
Response verdict_response(int status, const std::string& stored_body, bool duplicate) {
  Response r;
  r.status = status;
  for (const char* lead : {"{\"accepted\":true,", "{\"accepted\":false,"}) {
    const size_t n = std::strlen(lead);
    if (stored_body.compare(0, n, lead) == 0 && stored_body.compare(n, 11, "\"escalated\"") == 0) {
      r.body = stored_body.substr(0, n) + (duplicate ? "\"duplicate\":true," : "\"duplicate\":false,") + stored_body.substr(n);
      return r;
    }
  }
  auto v = json::parse(stored_body);
  if (!v.ok()) return error_response(500, "internal", "a stored verdict is not JSON");
  v->set("duplicate", duplicate);
  r.body = json::to_string(v.value());
  return r;
}

// bad_json is malformed input (400); every other typed input error is unprocessable (422).
// The ops see the body as {"pcs": body}: paths are given back relative to the body.
Response input_error(Error e) {
  const std::string inner = "$.pcs";
  if (e.path.rfind(inner, 0) == 0) e.path = "$" + e.path.substr(inner.size());
  for (size_t at; (at = e.message.find(inner)) != std::string::npos;) e.message.replace(at, inner.size(), "$");
  return error_response(e.code == "bad_json" ? 400 : 422, e);
}

const char* outcome_of(const json::Value& verdict) {
  const json::Value* acc = verdict.find("accepted");
  const json::Value* esc = verdict.find("escalated");
  if (esc && esc->is_bool() && esc->as_bool()) return "escalated";
  return acc && acc->is_bool() && acc->as_bool() ? "accepted" : "rejected";
}

}  // namespace

Response store_failure(const Status& s, const std::string& what, Metrics& metrics) {
  if (s.error().code != "store_unavailable") return error_response(500, "store_error", what);
  metrics.store_unavailable.inc();
  Response r = error_response(503, "store_unavailable", what + ": the store is unreachable, try again");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

bool is_json_request(const Request& req, Response* error) {
  std::string ct = req.content_type.substr(0, req.content_type.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ct == "application/json") return true;
  *error = error_response(415, "unsupported_media_type",
                          "send the body as application/json (got \"" + req.content_type + "\")");
  return false;
}

std::shared_ptr<const Tenant> Pipeline::resolve_tenant(const Request& req, Response* error) const {
  const std::string id = req.tenant.empty() ? "default" : req.tenant;
  auto snap = tenants_.snapshot();
  auto it = snap->find(id);
  if (it == snap->end()) {
    *error = error_response(400, make_error("unknown_tenant", "tenant \"" + id.substr(0, 128) + "\" is not registered",
                                            "X-Tenant-Id"));
    return nullptr;
  }
  return std::shared_ptr<const Tenant>(snap, &it->second);
}

bool Pipeline::admit(const Tenant& t, Response* error) {
  const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch()).count();
  double retry = 0;
  if (tenants_.allow(t, ns, &retry)) return true;
  metrics_.quota_exceeded_by_tenant.inc(t.id);
  *error = error_response(429, "rate_limited", "tenant \"" + t.id + "\" is over its rate limit");
  error->headers.emplace_back("Retry-After", std::to_string(static_cast<int64_t>(std::ceil(retry))));
  return false;
}

void Pipeline::release(const WalTicket& t) {
  if (wal_) wal_->release(t);
}

void Pipeline::journal(Request& req, RecordKind kind, Reply reply, Next next) {
  Response err;
  if (!is_json_request(req, &err)) return reply(std::move(err));
  auto tenant = resolve_tenant(req, &err);
  if (!tenant) return reply(std::move(err));
  if (!admit(*tenant, &err)) return reply(std::move(err));
  const int64_t received = now_ms();
  Record rec{tenant->id, req.signature, req.body, received, {}};
  wal_->append(kind, received, tenant->id, req.signature, std::move(req.body),
               [this, rec = std::move(rec), reply = std::move(reply), next = std::move(next)](WalResult r, WalTicket t) mutable {
                 if (r == WalResult::full) {
                   metrics_.wal_full.inc();
                   Response busy = error_response(503, "wal_full", "the WAL is at its size cap (the store is behind); try again");
                   busy.headers.emplace_back("Retry-After", "1");
                   return reply(std::move(busy));
                 }
                 if (r != WalResult::ok) {
                   metrics_.wal_errors.inc();
                   return reply(error_response(500, "wal_error", "the request could not be written to the WAL"));
                 }
                 rec.ticket = t;
                 // Off the WAL thread: it only writes and syncs.
                 post_([rec = std::move(rec), reply = std::move(reply), next = std::move(next)]() mutable {
                   next(std::move(rec), std::move(reply));
                 });
               });
}

void Pipeline::submit_pcs(Request& req, Reply reply) {
  journal(req, kPcsSubmit, std::move(reply), [this](Record rec, Reply reply) {
    metrics_.ingest_total.inc();
    metrics_.ingest_by_tenant.inc(rec.tenant);
    process_pcs(rec.tenant, std::move(rec.body), rec.received_ms, rec.ticket, std::move(reply));
  });
}

void Pipeline::process_pcs(const std::string& tenant_id, std::string body, int64_t received_ms, WalTicket ticket,
                           Reply reply) {
  auto snap = tenants_.snapshot();
  auto tit = snap->find(tenant_id);
  if (tit == snap->end()) {
    release(ticket);
    return reply(error_response(400, make_error("unknown_tenant", "tenant \"" + tenant_id + "\" is not registered")));
  }
  const Tenant& tenant = tit->second;
  json::ParseLimits limits;
  limits.max_bytes = body.size() + 1;
  auto doc = json::parse(body, limits);
  if (!doc.ok()) {
    release(ticket);
    return reply(input_error(doc.error()));
  }
  // pcs.verify checks the signature first and runs the engine only on a valid one; with several
  // live keys (a rotation) each is tried in turn. The engine is pure, so running it before the
  // dedup decision changes nothing but the work done for a duplicate.
  json::Value in = json::Value::object();
  in.set("pcs", std::move(doc.value()));
  std::string why = "signature invalid: the tenant has no live key";
  std::string kid;
  json::Value verdict;
  for (const TenantKey& k : tenant.keys) {
    if (!k.live_at(received_ms)) continue;
    in.set("key", k.key);
    auto r = thread_engine().call_value("pcs.verify", in);
    if (!r.ok()) {
      release(ticket);
      return reply(input_error(r.error()));
    }
    if (r->find("status")->as_int() != 401) {
      kid = k.kid;
      verdict = std::move(r.value());
      break;
    }
    if (const json::Value* reason = r->find("reason")) why = reason->as_string();
  }
  if (kid.empty()) {
    release(ticket);
    metrics_.signature_errors.inc();
    metrics_.signature_errors_by_tenant.inc(tenant.id);
    return reply(error_response(401, make_error("bad_signature", why, "$.sig")));
  }
  const std::string pcs_id = verdict.find("pcs_id")->as_string();
  if (auto hit = cache_.get(tenant.id, pcs_id, received_ms)) {
    release(ticket);
    metrics_.dedup_hits.inc();
    metrics_.dedup_hits_by_tenant.inc(tenant.id);
    return reply(verdict_response(hit->status, hit->body, true));
  }
  auto w = std::make_unique<Write>();
  w->kind = Write::Kind::verdict;
  w->tenant = tenant.id;
  w->id = pcs_id;
  w->status = static_cast<int>(verdict.find("status")->as_int());
  w->body = json::to_string(verdict);
  w->now_ms = received_ms;
  w->expires_ms = received_ms + ttl_ms_;
  json::Value data = json::Value::object();
  data.set("pcs_id", pcs_id).set("status", w->status).set("outcome", outcome_of(verdict)).set("kid", kid);
  if (const json::Value* reason = verdict.find("reason")) data.set("reason", *reason);
  w->audit = AuditDraft{"pcs.verdict", tenant.id, std::move(data), received_ms};
  batcher_.submit(std::move(w), [this, ticket, reply = std::move(reply)](Write& w, const Status& s) {
    // Off the store thread, which goes on with the next transaction.
    post_([this, w = std::move(w), s, ticket, reply]() mutable { finish(w, s, ticket, reply); });
  });
}

void Pipeline::finish(Write& w, const Status& s, const WalTicket& ticket, const Reply& reply) {
  release(ticket);
  if (!s.ok()) return reply(store_failure(s, "the verdict could not be stored", metrics_));
  // A winner's expiry is known only to the instance that wrote it.
  if (w.won) cache_.put(w.tenant, w.id, CachedVerdict{w.winner_status, w.winner_body, w.expires_ms});
  if (!w.won) {
    metrics_.dedup_hits.inc();
    metrics_.dedup_hits_by_tenant.inc(w.tenant);
  } else if (w.winner_status == 200) {
    metrics_.accepted.inc();
    metrics_.accepted_by_tenant.inc(w.tenant);
  } else if (w.audit && w.audit->data.find("outcome")->as_string() == "escalated") {
    metrics_.escalated.inc();
    metrics_.escalated_by_tenant.inc(w.tenant);
  } else {
    metrics_.rejected.inc();
  }
  reply(verdict_response(w.winner_status, w.winner_body, !w.won));
}

}  // namespace flk::server
