// POST /v1/pcs/submit, cheap checks first and the WAL only for a request that passed them:
//   content type (415) -> parse (400) -> signature with a live key of the tenant named by
//   X-Tenant-Id, and the engine on the same reading of the document (pcs.verify; 401
//   bad_signature, the same answer for an unknown tenant; 422 for a malformed document) -> the
//   tenant's rate limit (429) -> WAL append + fsync (500 on failure) -> dedup: this instance's
//   cache of committed verdicts, else a first-write-wins store write whose winner is the answer
//   -> effects (audit entry in the same transaction, metrics) -> 200 accepted / 202 escalated or
//   rejected. The WAL thread hands a synced record straight to the batcher, and the batcher's
//   thread answers: a submit crosses three threads (I/O -> WAL -> batcher) and back to its
//   connection's strand.
// A tenant's rate is spent only by requests its keys signed. Start-up replay checks the
// signature again (a key may have been retired since) and runs the steps after the WAL on every
// record left in it. A WAL at its size cap answers 503 wal_full with Retry-After.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/batcher.h"
#include "app/verdict_cache.h"
#include "http/types.h"
#include "metrics/metrics.h"
#include "store/pcs/pcs.h"
#include "tenants/directory.h"
#include "wal/wal.h"

namespace flk::server {

enum RecordKind : uint8_t { kPcsSubmit = 1, kUsage = 2 };

// Runs a task on the request threads (the WAL and store threads hand work back through it).
using Post = std::function<void(std::function<void()>)>;

class Pipeline {
 public:
  Pipeline(int64_t dedup_ttl_ms, TenantDirectory& tenants, Batcher& batcher, Metrics& metrics)
      : ttl_ms_(dedup_ttl_ms), tenants_(tenants), batcher_(batcher), metrics_(metrics), cache_(1u << 20) {}
  // Until set, work continues on the thread that finished the previous step (start-up replay).
  void set_wal(Wal* wal, Post post) {
    wal_ = wal;
    post_ = std::move(post);
  }

  void submit_pcs(Request& req, Reply reply);
  // Replay of a WAL record: signature, then the steps after the WAL; ticket is released once
  // the record's effects are stored.
  void process_pcs(const std::string& tenant, std::string body, int64_t received_ms, WalTicket ticket, Reply reply);

  // POST /v1/cost/usage (app/usage.cc): the body's signature (X-Flk-Signature) with the tenant's
  // keys, rate, parse, WAL, then cost.usage per event, first write wins per event id.
  void submit_usage(Request& req, Reply reply);
  void process_usage(const std::string& tenant, const std::string& signature, std::string body, int64_t received_ms,
                     WalTicket ticket, Reply reply);

  // The registered tenant tenant_id if one of its live keys signs text (X-Flk-Signature: base64
  // HMAC-SHA256 of text, or Ed25519 of its SHA-256); otherwise a 401 bad_signature that reads the
  // same whether the tenant exists or not (what: the signed text, for the message).
  std::shared_ptr<const Tenant> signer(const std::string& tenant_id, const std::string& text, const std::string& signature,
                                       int64_t now_ms, const char* what, Response* error);
  // A request whose body the tenant named by X-Tenant-Id signed, within that tenant's rate.
  std::shared_ptr<const Tenant> authenticate_body(const Request& req, Response* error);
  // Takes a rate-limit token; fills a 429 response when the tenant is over its rate.
  bool admit(const Tenant& t, Response* error);
  // The same for an unauthenticated request, by its peer address (never by a header).
  bool admit_anonymous(const Request& req, Response* error);

 private:
  using Next = std::function<void(WalTicket ticket)>;
  // The WAL step of the write routes, after their checks: appends the body and syncs, then next
  // runs on the WAL thread, so it only hands work on (a failure answers 500 wal_error).
  void journal(RecordKind kind, const std::string& tenant, Request& req, int64_t received_ms, Reply reply, Next next);
  // Whether signature (base64) signs text under one of the tenant's live keys.
  bool text_signed(const Tenant& t, const std::string& text, const std::string& signature, int64_t now_ms);
  // The tenant whose live key signed the PCS in in ({"pcs": …}), that key's id and the engine's
  // verdict (pcs.verify: the signature, then the engine, on one reading of the document), or the
  // error (401, or 422 for a malformed document).
  std::shared_ptr<const Tenant> verify_pcs(const std::string& tenant_id, json::Value& in, int64_t at_ms, std::string* kid,
                                           json::Value* verdict, Response* error);
  // The first-write-wins store write of a verdict, with its audit entry.
  std::unique_ptr<VerdictWrite> verdict_write(const Tenant& tenant, const json::Value& verdict, const std::string& kid,
                                              int64_t received_ms);
  // Dedup (this instance's cache, else the first-write-wins store write), then the answer; runs
  // on any thread and answers from the batcher's.
  void store_verdict(std::unique_ptr<VerdictWrite> w, WalTicket ticket, Reply reply);
  // The usage events of a signed, parsed body: cost.usage per event, then the store.
  void price_usage(const Tenant& tenant, const json::Value& doc, int64_t received_ms, WalTicket ticket, Reply reply);
  void release(const WalTicket& t);
  void finish(VerdictWrite& w, const Status& s, const WalTicket& ticket, const Reply& reply);
  // A verdict answered: action accepted|escalated|rejected|duplicate.
  void count_verdict(const std::string& tenant, const std::string& action);
  int64_t ttl_ms_;
  TenantDirectory& tenants_;
  Batcher& batcher_;
  Metrics& metrics_;
  VerdictCache cache_;
  Wal* wal_ = nullptr;
  Post post_ = [](std::function<void()> f) { f(); };
};

// Whether the request's Content-Type (parameters and case aside) is `type`; if not, *error is
// 415 unsupported_media_type asking for `what` as `type`.
bool is_media_type(const Request& req, const std::string& type, const std::string& what, Response* error);
// Content-Type is application/json (parameters allowed); otherwise a 415 response.
bool is_json_request(const Request& req, Response* error);
// X-Tenant-Id, or "default" when absent.
std::string named_tenant(const Request& req);
// One rule for every route: a body json::parse refuses (bad_json, duplicate_key, too_deep,
// too_large) is 400 ...
std::optional<json::Value> parse_json_body(const std::string& body, Response* error);
// ... and an error in parsed content is 422 (500 for internal and store errors, 503 with
// Retry-After while the store is unreachable).
Response content_error(const Error& e);
// Retry-After for a wait of that many seconds: rounded up, within [1, 86400] whatever the rate.
std::string retry_after(double seconds);
// 503 with a retry in a second: the WAL, the store or a worker pool is behind, and nothing was
// acknowledged.
Response try_again(const char* code, const std::string& message);
// The answer to writes the store did not take (s failed): 503 with Retry-After while the store
// is unreachable, else 500 store_error with what. Either way nothing was acknowledged, so the
// WAL record is released: the client retries, and first write wins makes that safe.
Response store_failure(const Status& s, const std::string& what, Metrics& metrics);

}  // namespace flk::server
