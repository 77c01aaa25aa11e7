// POST /v1/pcs/submit in the order the spec makes part of the contract (§5.1):
//   tenant known (400 unknown_tenant) -> rate limit (429) -> WAL append + fsync (500 on failure)
//   -> parse (400) -> signature with the tenant's live keys (401; nothing is cached)
//   -> dedup: this instance's cache of committed verdicts, else the engine (pcs.evaluate) and a
//      first-write-wins store write whose winner is the answer -> effects (audit entry in the
//      same transaction, metrics) -> 200 accepted / 202 escalated or rejected.
// Start-up replay runs the steps after the WAL on every record left in it. A WAL at its size cap
// answers 503 wal_full with Retry-After.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/batcher.h"
#include "app/verdict_cache.h"
#include "http/types.h"
#include "metrics/metrics.h"
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
  // The steps after the WAL; ticket is released once the record's effects are stored.
  void process_pcs(const std::string& tenant, std::string body, int64_t received_ms, WalTicket ticket, Reply reply);

  // POST /v1/cost/usage (app/usage.cc): tenant, rate, WAL, then the body's signature
  // (X-Flk-Signature) with the tenant's keys, cost.usage per event, first write wins per event id.
  void submit_usage(Request& req, Reply reply);
  void process_usage(const std::string& tenant, const std::string& signature, std::string body, int64_t received_ms,
                     WalTicket ticket, Reply reply);

  // The tenant named by X-Tenant-Id ("default" when absent), or the error response.
  std::shared_ptr<const Tenant> resolve_tenant(const Request& req, Response* error) const;
  // Takes a rate-limit token; fills a 429 response when the tenant is over its rate.
  bool admit(const Tenant& t, Response* error);
  // Whether signature (base64) signs body under one of the tenant's live keys.
  bool body_signed(const Tenant& t, const std::string& body, const std::string& signature, int64_t now_ms);

 private:
  // A request as the WAL recorded it.
  struct Record {
    std::string tenant, signature, body;
    int64_t received_ms = 0;
    WalTicket ticket;
  };
  using Next = std::function<void(Record rec, Reply reply)>;
  // The first steps of every write route: JSON content type, tenant, rate limit, WAL append and
  // sync; then next runs on a request thread.
  void journal(Request& req, RecordKind kind, Reply reply, Next next);
  void release(const WalTicket& t);
  void finish(Write& w, const Status& s, const WalTicket& ticket, const Reply& reply);
  int64_t ttl_ms_;
  TenantDirectory& tenants_;
  Batcher& batcher_;
  Metrics& metrics_;
  VerdictCache cache_;
  Wal* wal_ = nullptr;
  Post post_ = [](std::function<void()> f) { f(); };
};

// Content-Type is application/json (parameters allowed); otherwise a 415 response.
bool is_json_request(const Request& req, Response* error);
// The answer to writes the store did not take (s failed): 503 with Retry-After while the store
// is unreachable, else 500 store_error with what. Either way nothing was acknowledged, so the
// WAL record is released: the client retries, and first write wins makes that safe.
Response store_failure(const Status& s, const std::string& what, Metrics& metrics);

}  // namespace flk::server
