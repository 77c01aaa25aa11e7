// The server's persistent state: one SQLite file (one machine, the default) or one PostgreSQL
// database (several stateless server instances). The store itself knows no table: each area
// under store/<area>/ (pcs, usage, billing, anomaly, tenants, audit) owns its tables, migrations,
// write types and reads, in SQL written once for both databases over a Tx (store/tx.h), and is
// listed once in store/areas.cc. docs/server.md ("Store") draws who calls whom.
//
// Writes arrive in batches (group commit, app/batcher.h), each batch ONE transaction applied in
// batch order on both databases (store/batch.cc); every write that took effect appends its audit
// entry to the hash chain in that transaction, so the chain and the data never disagree.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "json/value.h"
#include "store/tx.h"
#include "util/result.h"

namespace flk::server {

// What an audit entry records, before it gets its place in the chain.
struct AuditDraft {
  std::string type;
  std::string tenant;
  json::Value data;
  int64_t time_ms = 0;
};

// Builds the chained entry (the facade's audit.link) for a draft at (seq, prev_hash).
using AuditLinker = std::function<Result<json::Value>(const AuditDraft&, int64_t seq, const std::string& prev_hash)>;

class Write;

// How one kind of write is applied. Writes of one type next to each other in a batch are applied
// together by apply_run, in batch order. An independent type touches rows that no other type's
// writes read or write, so a run of independent writes of several types may be applied type by
// type with the same outcome as one by one.
struct WriteType {
  const char* name;
  bool independent;
  Status (*apply_run)(Tx& tx, const std::vector<Write*>& run);
};

class Write {
 public:
  virtual ~Write() = default;
  virtual const WriteType& type() const = 0;
  // The server's WAL holds the request that made it (verdicts, usage events): SQLite may commit
  // it without syncing (checkpoint() syncs before the WAL drops it); others commit durably.
  virtual bool journaled() const { return false; }
  // Forgets what apply set, so the write can go again after its transaction rolled back.
  virtual void clear_results() { won = false; }

  std::string tenant;
  // The record's key within its tenant (pcs_id, event id, document name, kid), for logs.
  std::string id;
  // Appended to the chain when the write takes effect (won), or when it was refused and says so.
  std::optional<AuditDraft> audit;
  bool won = false;
  // Refused by a rule (a budget): nothing stored, but its audit entry is kept.
  bool refused = false;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual const char* kind() const = 0;
  // One transaction on the writer connection: fn's changes, or none of them. durable: commit with
  // a sync (SQLite's synchronous=FULL) whatever the connection's default.
  virtual Status transact(bool durable, const std::function<Status(Tx&)>& fn) = 0;
  // fn on a reader connection from a small pool (reads run in parallel with each other and the writer).
  virtual Status read(const std::function<Status(Tx&)>& fn) = 0;
  // Makes every committed transaction durable (the WAL then drops the segments behind it).
  virtual Status checkpoint() = 0;
  // A trivial read (virtual only so tests can inject faults).
  virtual Status ping();

  // The batch in one transaction, in batch order, with its audit entries (store/batch.cc; virtual
  // only so tests can inject faults).
  virtual Status apply(std::vector<Write*>& batch, const AuditLinker& link);
};

// "postgres://..." or "postgresql://..." opens PostgreSQL; otherwise dir holds flk.sqlite.
Result<std::unique_ptr<Store>> open_store(const std::string& postgres_url, const std::string& data_dir);
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url);

// The UTC day (days since 1970-01-01) a usage event is charged to.
constexpr int32_t day_of(int64_t ms) { return static_cast<int32_t>((ms >= 0 ? ms : ms - 86399999) / 86400000); }

}  // namespace flk::server
