#include "app/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "app/facade.h"
#include "app/log.h"
#include "json/parse.h"
#include "json/write.h"
#include "util/ascii.h"

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

// The ops see the body as {"pcs": body}: paths are given back relative to the body.
Response input_error(const Error& e) { return content_error(rebase_error(e, "$.pcs", "$")); }

// Tried on a PCS when the tenant has no live key (or does not exist), so that a malformed
// document is refused the same way (422) whoever is named; it never authenticates anyone.
const json::Value& structure_only_key() {
  static const json::Value k = json::Value::object().set("alg", "hmac").set("key_text", "-");
  return k;
}

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

const char* outcome_of(const json::Value& verdict) {
  const json::Value* acc = verdict.find("accepted");
  const json::Value* esc = verdict.find("escalated");
  if (esc && esc->is_bool() && esc->as_bool()) return "escalated";
  return acc && acc->is_bool() && acc->as_bool() ? "accepted" : "rejected";
}

}  // namespace

Response try_again(const char* code, const std::string& message) {
  Response r = error_response(503, code, message);
  r.headers.emplace_back("Retry-After", retry_after(1));
  return r;
}

Response store_failure(const Status& s, const std::string& what, Metrics& metrics) {
  if (s.error().code != "store_unavailable") return error_response(500, "store_error", what);
  metrics.store_unavailable.inc();
  return try_again("store_unavailable", what + ": the store is unreachable, try again");
}

bool is_media_type(const Request& req, const std::string& type, const std::string& what, Response* error) {
  std::string ct = req.content_type.substr(0, req.content_type.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  if (ascii_lower(ct) == type) return true;
  *error = error_response(415, "unsupported_media_type",
                          "send " + what + " as " + type + " (got \"" + req.content_type + "\")");
  return false;
}

bool is_json_request(const Request& req, Response* error) {
  return is_media_type(req, "application/json", "the body", error);
}

std::string named_tenant(const Request& req) { return req.tenant.empty() ? "default" : req.tenant; }

std::optional<json::Value> parse_json_body(const std::string& body, Response* error) {
  json::ParseLimits limits;
  limits.max_bytes = body.size() + 1;  // the HTTP layer bounds the body
  auto doc = json::parse(body, limits);
  if (doc.ok()) return std::move(doc.value());
  *error = error_response(400, doc.error());
  return std::nullopt;
}

Response content_error(const Error& e) {
  if (e.code == "store_unavailable") return try_again("store_unavailable", e.message + ": the store is unreachable, try again");
  return error_response(e.code == "internal" || e.code == "store_error" ? 500 : 422, e);
}

std::string retry_after(double seconds) {
  // Compared before the conversion: a tiny rate gives waits (or infinities) no integer holds.
  if (!(seconds > 1)) return "1";
  if (seconds >= 86400) return "86400";
  return std::to_string(static_cast<int64_t>(std::ceil(seconds)));
}

// Checked in place of a tenant that does not exist, so that naming one costs the same work (one
// HMAC, the usual case) as naming a tenant with one HMAC key: the time of a 401 does not tell a
// stranger which tenants exist.
namespace {
const Tenant& stand_in_tenant() {
  static const Tenant t{"", 0, 0, {TenantKey{"", structure_only_key(), 0, std::nullopt}}, nullptr};
  return t;
}
}  // namespace

std::shared_ptr<const Tenant> Pipeline::signer(const std::string& tenant_id, const std::string& text,
                                               const std::string& signature, int64_t now, const char* what,
                                               Response* error) {
  auto snap = tenants_.snapshot();
  auto it = snap->find(tenant_id);
  if (it == snap->end()) (void)text_signed(stand_in_tenant(), text, signature, now);
  else if (text_signed(it->second, text, signature, now)) return std::shared_ptr<const Tenant>(snap, &it->second);
  // Counted under the tenant only when it exists: names sent by strangers are not series.
  if (it != snap->end()) metrics_.signature_errors_by_tenant.inc(tenant_id);
  metrics_.signature_errors_total.inc({it != snap->end() ? tenant_id : kUnknownTenant, "body"});
  *error = error_response(401, make_error("bad_signature",
                                          std::string("X-Flk-Signature must sign ") + what +
                                              " with a live key of the tenant named by X-Tenant-Id",
                                          "X-Flk-Signature"));
  return nullptr;
}

std::shared_ptr<const Tenant> Pipeline::authenticate_body(const Request& req, Response* error) {
  auto t = signer(named_tenant(req), req.body, req.signature, now_ms(), "the body", error);
  return t && admit(*t, error) ? t : nullptr;
}

bool Pipeline::admit(const Tenant& t, Response* error) {
  double retry = 0;
  if (tenants_.allow(t, steady_ns(), &retry)) return true;
  metrics_.quota_exceeded_by_tenant.inc(t.id);
  metrics_.rate_limited.inc({t.id});
  *error = error_response(429, "rate_limited", "tenant \"" + t.id + "\" is over its rate limit");
  error->headers.emplace_back("Retry-After", retry_after(retry));
  return false;
}

bool Pipeline::admit_anonymous(const Request& req, Response* error) {
  double retry = 0;
  if (tenants_.allow_peer(req.peer, steady_ns(), &retry)) return true;
  metrics_.anonymous_rate_limited.inc();
  metrics_.rate_limited.inc({kAnonymousTenant});
  *error = error_response(429, "rate_limited",
                          "unsigned requests from this address are over the rate limit (sign with a tenant's key to "
                          "use the tenant's rate)");
  error->headers.emplace_back("Retry-After", retry_after(retry));
  return false;
}

void Pipeline::release(const WalTicket& t) {
  if (wal_) wal_->release(t);
}

void Pipeline::journal(RecordKind kind, const std::string& tenant, Request& req, int64_t received_ms, Reply reply,
                       Next next) {
  wal_->append(kind, received_ms, tenant, req.signature, std::move(req.body),
               [this, reply = std::move(reply), next = std::move(next)](WalResult r, WalTicket t) mutable {
                 if (r == WalResult::full) {
                   metrics_.wal_full.inc();
                   return reply(try_again("wal_full", "the WAL is at its size cap (the store is behind); try again"));
                 }
                 if (r != WalResult::ok) {
                   metrics_.wal_errors.inc();
                   return reply(error_response(500, "wal_error", "the request could not be written to the WAL"));
                 }
                 next(t);
               });
}

std::shared_ptr<const Tenant> Pipeline::verify_pcs(const std::string& tenant_id, json::Value& in, int64_t at_ms,
                                                   std::string* kid, json::Value* verdict, Response* error) {
  auto snap = tenants_.snapshot();
  auto it = snap->find(tenant_id);
  std::vector<const TenantKey*> live;
  if (it != snap->end())
    for (const TenantKey& k : it->second.keys)
      if (k.live_at(at_ms)) live.push_back(&k);
  // With several live keys (a rotation) each is tried in turn; with none, the document is still
  // read so that its errors do not depend on who is named.
  for (size_t i = 0; i < std::max<size_t>(1, live.size()); ++i) {
    in.set("key", live.empty() ? structure_only_key() : live[i]->key);
    auto r = thread_engine().call_value("pcs.verify", in);
    if (!r.ok()) {
      *error = input_error(r.error());
      return nullptr;
    }
    if (!live.empty() && r->find("status")->as_int() != 401) {
      *kid = live[i]->kid;
      *verdict = std::move(r.value());
      return std::shared_ptr<const Tenant>(snap, &it->second);
    }
  }
  metrics_.signature_errors.inc();
  if (it != snap->end()) metrics_.signature_errors_by_tenant.inc(tenant_id);
  metrics_.signature_errors_total.inc({it != snap->end() ? tenant_id : kUnknownTenant, "pcs"});
  *error = error_response(401, make_error("bad_signature",
                                          "$.sig is not a signature of this PCS by a live key of the tenant named by "
                                          "X-Tenant-Id",
                                          "$.sig"));
  return nullptr;
}

// The engine is pure, so it runs with the signature check, before the rate limit (a signed
// request over its tenant's rate costs one evaluation), the WAL (a document it refuses costs no
// sync) and the dedup decision (which changes nothing but the work done for a duplicate).
void Pipeline::submit_pcs(Request& req, Reply reply) {
  Response err;
  if (!is_json_request(req, &err)) return reply(std::move(err));
  auto doc = parse_json_body(req.body, &err);
  if (!doc) return reply(std::move(err));
  const int64_t received = now_ms();
  json::Value in = json::Value::object();
  in.set("pcs", std::move(*doc));
  std::string kid;
  json::Value verdict;
  auto tenant = verify_pcs(named_tenant(req), in, received, &kid, &verdict, &err);
  if (!tenant || !admit(*tenant, &err)) return reply(std::move(err));
  std::shared_ptr<VerdictWrite> w = verdict_write(*tenant, verdict, kid, received);
  // On the WAL thread: a cache lookup or a push onto the batcher's queue, no further hand-off.
  journal(kPcsSubmit, tenant->id, req, received, reply, [this, w, reply](WalTicket ticket) mutable {
    metrics_.ingest_total.inc();
    metrics_.ingest_by_tenant.inc(w->tenant);
    metrics_.pcs_submissions.inc({w->tenant});
    store_verdict(std::make_unique<VerdictWrite>(std::move(*w)), ticket, std::move(reply));
  });
}

void Pipeline::process_pcs(const std::string& tenant_id, std::string body, int64_t received_ms, WalTicket ticket,
                           Reply reply) {
  Response err;
  auto doc = parse_json_body(body, &err);
  json::Value in = json::Value::object();
  std::string kid;
  json::Value verdict;
  std::shared_ptr<const Tenant> tenant;
  if (doc) {
    in.set("pcs", std::move(*doc));
    tenant = verify_pcs(tenant_id, in, received_ms, &kid, &verdict, &err);
  }
  if (!tenant) {
    release(ticket);
    return reply(std::move(err));
  }
  store_verdict(verdict_write(*tenant, verdict, kid, received_ms), ticket, std::move(reply));
}

std::unique_ptr<VerdictWrite> Pipeline::verdict_write(const Tenant& tenant, const json::Value& verdict,
                                                      const std::string& kid, int64_t received_ms) {
  auto w = std::make_unique<VerdictWrite>();
  w->tenant = tenant.id;
  w->id = verdict.find("pcs_id")->as_string();
  w->status = static_cast<int>(verdict.find("status")->as_int());
  w->body = json::to_string(verdict);
  w->now_ms = received_ms;
  w->expires_ms = received_ms + ttl_ms_;
  json::Value data = json::Value::object();
  data.set("pcs_id", w->id).set("status", w->status).set("outcome", outcome_of(verdict)).set("kid", kid);
  if (const json::Value* reason = verdict.find("reason")) data.set("reason", *reason);
  w->audit = AuditDraft{"pcs.verdict", tenant.id, std::move(data), received_ms};
  return w;
}

void Pipeline::store_verdict(std::unique_ptr<VerdictWrite> w, WalTicket ticket, Reply reply) {
  if (auto hit = cache_.get(w->tenant, w->id, w->now_ms)) {
    release(ticket);
    count_verdict(w->tenant, "duplicate");
    return reply(verdict_response(hit->status, hit->body, true));
  }
  // finish runs on the batcher thread: it is short, and the answer goes straight to the
  // connection's strand instead of through a request thread first.
  batcher_.submit(std::move(w), [this, ticket, reply = std::move(reply)](Write& w, const Status& s) {
    finish(static_cast<VerdictWrite&>(w), s, ticket, reply);
  });
}

void Pipeline::count_verdict(const std::string& tenant, const std::string& action) {
  // Every action's series exists (by 0) once a tenant has a verdict, so rates and ratios are 0, not absent.
  for (const char* a : {"accepted", "escalated", "rejected", "duplicate"}) metrics_.pcs_decisions.inc({tenant, a}, action == a ? 1 : 0);
  // The deprecated names (one release).
  if (action == "duplicate") {
    metrics_.dedup_hits.inc();
    metrics_.dedup_hits_by_tenant.inc(tenant);
  } else if (action == "accepted") {
    metrics_.accepted.inc();
    metrics_.accepted_by_tenant.inc(tenant);
  } else if (action == "escalated") {
    metrics_.escalated.inc();
    metrics_.escalated_by_tenant.inc(tenant);
  } else {
    metrics_.rejected.inc();
  }
}

void Pipeline::finish(VerdictWrite& w, const Status& s, const WalTicket& ticket, const Reply& reply) {
  release(ticket);
  if (!s.ok()) return reply(store_failure(s, "the verdict could not be stored", metrics_));
  // A winner's expiry is known only to the instance that wrote it.
  if (w.won) cache_.put(w.tenant, w.id, CachedVerdict{w.winner_status, w.winner_body, w.expires_ms});
  const bool escalated = w.audit && w.audit->data.find("outcome")->as_string() == "escalated";
  count_verdict(w.tenant, !w.won ? "duplicate" : w.winner_status == 200 ? "accepted" : escalated ? "escalated" : "rejected");
  reply(verdict_response(w.winner_status, w.winner_body, !w.won));
}

}  // namespace flk::server
