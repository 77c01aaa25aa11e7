// The server's persistent state behind one interface, implemented on SQLite (one machine, the
// default) and PostgreSQL (several stateless server instances on one database):
//   pcs_results  first-write-wins verdicts, unique on (tenant, pcs_id), with an expiry
//   usage_events first-write-wins priced usage events, unique on (tenant, event_id)
//   usage_spend  each tenant's charged usage cost per UTC day (budgets read it)
//   billing_uploads  billing exports (FOCUS / CUR CSV) uploaded per tenant, once per content digest
//   audit_log    the hash-chained audit entries, audit_head the chain's last (seq, hash)
//   tenants, tenant_keys   rate limits and signing keys (rotation = several live keys)
//   anomaly_events  flagged observations, first write wins on (tenant, event_id)
//   anomaly_state   per-tenant JSON documents ("model", "feedback"), last write wins
// Writes arrive in batches (one transaction each, see app/batcher.h); an audit entry is appended
// in the same transaction as the write it records, so the chain and the data never disagree.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk::server {

struct KeyRecord {
  std::string tenant;
  std::string kid;
  std::string alg;       // "hmac" | "ed25519"
  std::string key_json;  // the facade's key object, e.g. {"alg":"hmac","key_text":"..."}
  int64_t not_before_ms = 0;
  std::optional<int64_t> not_after_ms;
};

struct TenantRecord {
  std::string id;
  double rate_per_sec = 0;  // 0: the server's default
  double burst = 0;
  std::string budget_json;  // the tenant's budget policy (cost.budget.check's policy); "" for none
  std::vector<KeyRecord> keys;
};

// What an audit entry records, before it gets its place in the chain.
struct AuditDraft {
  std::string type;
  std::string tenant;
  json::Value data;
  int64_t time_ms = 0;
};

// A stored usage event as reports and reconciliation read it.
struct UsageRow {
  std::string event_id;
  int64_t created_ms = 0;
  std::string body;   // the cost.usage output
  std::string input;  // the event as sent, without event_id (cost.usage's input)
};

struct BillingUpload {
  std::string tenant, upload_id;  // upload_id: SHA-256 hex of the CSV
  int64_t created_ms = 0;
  std::string format;  // the import's format option: auto | focus | cur
  std::string csv;
  std::string summary;  // cost.billing.import's summary, JSON
};

struct Write;
// Nano-USD charged to the write's tenant on UTC days [from_day, to_day), as of the running transaction.
using SpendReader = std::function<Result<int64_t>(int32_t from_day, int32_t to_day)>;
// Decides a usage write against its tenant's budget policy (read in the same transaction, after the
// tenant's row is locked): sets w.refused and may set w.audit.
using BudgetJudge = std::function<Status(const std::string& budget_json, const SpendReader& spent, Write& w)>;

struct Write {
  enum class Kind { verdict, usage, tenant, key, retire_key, audit_only, anomaly_event, anomaly_state };
  Kind kind = Kind::verdict;
  std::string tenant;
  // verdict (id = pcs_id), usage and anomaly_event (id = event id): first write wins on
  // (tenant, id) unless the stored one has expired. anomaly_state (id = document name): replaces.
  std::string id;
  int status = 0;
  std::string body;
  int64_t now_ms = 0;
  int64_t expires_ms = 0;
  // usage: the priced cost, added to the tenant's spend of the UTC day of now_ms when the event is
  // stored; judge (if set) runs first when the tenant has a budget and the event id is new.
  int64_t cost_nanos = 0;
  std::string input;
  BudgetJudge judge;
  // tenant
  double rate_per_sec = 0, burst = 0;
  std::string budget_json;
  // key / retire_key (retire: kid and key.not_after_ms)
  KeyRecord key;
  // Appended when the write takes effect (for a verdict: only when this write won).
  std::optional<AuditDraft> audit;

  // Results.
  bool won = false;  // verdict: this write is the stored one; retire_key: the key existed
  bool refused = false;  // usage: refused by the budget judge: nothing stored or charged (its audit is kept)
  int winner_status = 0;
  std::string winner_body;
};

struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};

// Builds the chained entry (the facade's audit.link) for a draft at (seq, prev_hash).
using AuditLinker = std::function<Result<json::Value>(const AuditDraft&, int64_t seq, const std::string& prev_hash)>;

class Store {
 public:
  virtual ~Store() = default;
  virtual const char* kind() const = 0;
  // One transaction: every write and its audit entries, or none of them. Both stores apply the
  // writes in batch order (a budget set in a batch binds the usage events after it only) and
  // chain the audit entries in that order (tests/server/budget_store_test.cc checks both).
  virtual Status apply(std::vector<Write*>& batch, const AuditLinker& link) = 0;
  virtual Result<std::vector<TenantRecord>> tenants() = 0;
  // Entries with seq > after_seq, oldest first, at most limit, as JSON text.
  virtual Result<std::vector<std::string>> audit_entries(int64_t after_seq, size_t limit) = 0;
  virtual Result<AuditHead> audit_head() = 0;
  virtual Result<std::optional<Write>> verdict(const std::string& tenant, const std::string& pcs_id, int64_t now_ms) = 0;
  // Nano-USD charged to the tenant on UTC days [from_day, to_day).
  virtual Result<int64_t> spent(const std::string& tenant, int32_t from_day, int32_t to_day) = 0;
  // The tenant's stored usage events created in [from_ms, to_ms), oldest first.
  virtual Result<std::vector<UsageRow>> usage_events(const std::string& tenant, int64_t from_ms, int64_t to_ms) = 0;
  // Stores an upload unless the tenant has one with its id, and then appends its audit entry in
  // the same transaction; true when stored.
  virtual Result<bool> put_billing(const BillingUpload& u, const AuditDraft& audit, const AuditLinker& link) = 0;
  virtual Result<std::vector<BillingUpload>> billing_uploads(const std::string& tenant) = 0;
  virtual Result<int64_t> purge_expired(int64_t now_ms) = 0;
  // Makes every committed transaction durable (the WAL then drops the segments behind it).
  virtual Status checkpoint() = 0;
  virtual Status ping() = 0;
  // Anomaly events of a tenant after the cursor (created_ms, event_id), oldest first, as stored.
  struct AnomalyEvent {
    std::string id, body;
    int64_t created_ms = 0;
  };
  virtual Result<std::vector<AnomalyEvent>> anomaly_events(const std::string& tenant, int64_t since_ms,
                                                           const std::string& after_id, size_t limit) = 0;
  virtual Result<std::optional<std::string>> anomaly_state(const std::string& tenant, const std::string& name) = 0;
  // The stored body of one anomaly event, if there is one.
  virtual Result<std::optional<std::string>> anomaly_event(const std::string& tenant, const std::string& event_id) = 0;
  // Deletes the anomaly events whose expires_ms has passed; returns how many.
  virtual Result<int64_t> purge_anomaly_events(int64_t now_ms) = 0;
};

// "postgres://..." or "postgresql://..." opens PostgreSQL; otherwise dir holds flk.sqlite.
Result<std::unique_ptr<Store>> open_store(const std::string& postgres_url, const std::string& data_dir);
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url);

}  // namespace flk::server
