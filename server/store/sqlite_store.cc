// SQLite store: WAL journal mode, one writer connection (batches arrive from one thread) and one
// reader connection, each behind its own mutex. synchronous=NORMAL for what the server's own WAL
// journals (verdicts, usage events): a commit survives a process crash, and checkpoint() makes
// everything durable against power loss before the server's WAL drops the records behind it.
// Every other write (admin changes, anomaly events and state, billing uploads) is in no journal,
// so its transaction commits with synchronous=FULL: durable when acknowledged. An exclusive lock
// file keeps a second server off the same file.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "store/audit_rows.h"
#include "store/schema.h"
#include "store/store.h"

namespace flk::server {
namespace {

// Whether the server's WAL holds the request that made w (so a commit may stay unsynced).
bool journaled(const Write& w) { return w.kind == Write::Kind::verdict || w.kind == Write::Kind::usage; }

constexpr const char* kSpentSql =
    "SELECT COALESCE(SUM(spent_nanos), 0) FROM usage_spend WHERE tenant = ?1 AND day >= ?2 AND day < ?3";
constexpr const char* kChargeSql =
    "INSERT INTO usage_spend (tenant, day, spent_nanos, events) VALUES (?1, ?2, ?3, 1) ON CONFLICT (tenant, day) "
    "DO UPDATE SET spent_nanos = usage_spend.spent_nanos + excluded.spent_nanos, events = usage_spend.events + 1";
constexpr const char* kUsageRowsSql =
    "SELECT event_id, created_ms, body, input FROM usage_events WHERE tenant = ?1 AND created_ms >= ?2 AND created_ms < ?3 "
    "ORDER BY created_ms, event_id";

Error db_error(sqlite3* db, const std::string& what) {
  return make_error("store_error", what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement that resets itself for reuse.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }
  Status prepare(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK)
      return db_error(db, std::string("prepare ") + sql);
    return Ok{};
  }
  sqlite3_stmt* get() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return s_;
  }
  // A statement left stepping holds a read lock that would block a checkpoint.
  void reset() { sqlite3_reset(s_); }

 private:
  sqlite3_stmt* s_ = nullptr;
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, i))) : "";
}

// The columns the two first-write-wins tables share: (tenant, id, status, body, created_ms, expires_ms).
void bind_keyed(sqlite3_stmt* s, const Write& w) {
  bind_text(s, 1, w.tenant);
  bind_text(s, 2, w.id);
  sqlite3_bind_int(s, 3, w.status);
  bind_text(s, 4, w.body);
  sqlite3_bind_int64(s, 5, w.now_ms);
  sqlite3_bind_int64(s, 6, w.expires_ms);
}

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return make_error("store_error", std::string("sqlite: ") + m);
  }
  return Ok{};
}

Result<sqlite3*> open_db(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Error e = db_error(db, "cannot open " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 10000);
  Status s = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  if (!s.ok()) {
    sqlite3_close(db);
    return s.error();
  }
  return db;
}

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override {
    sqlite3_close_v2(reader_);
    w_.reset();
    sqlite3_close_v2(writer_);
    if (lock_fd_ >= 0) close(lock_fd_);
  }

  Status init(const std::string& path) {
    lock_fd_ = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0 || flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
      return make_error("store_busy", "another flk-server is using " + path);
    FLK_ASSIGN(writer_, open_db(path));
    FLK_TRY(migrate());
    FLK_ASSIGN(reader_, open_db(path));
    for (const KeyedTable* t : {&kVerdictTable, &kUsageTable, &kAnomalyTable}) {
      Statements::Keyed& k = t == &kVerdictTable ? w_->verdict : t == &kUsageTable ? w_->usage : w_->anomaly;
      const std::string table = t->table, id = t->id_column;
      // Usage events also carry their cost (?7) and input (?8).
      const bool usage = t == &kUsageTable;
      FLK_TRY(k.insert.prepare(writer_,
          ("INSERT INTO " + table + " (tenant, " + id + ", status, body, created_ms, expires_ms" +
           (usage ? ", cost_nanos, input" : "") + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6" + (usage ? ", ?7, ?8" : "") +
           ") ON CONFLICT (tenant, " + id + ") DO UPDATE SET status = excluded.status, body = excluded.body, "
           "created_ms = excluded.created_ms, expires_ms = excluded.expires_ms" +
           (usage ? ", cost_nanos = excluded.cost_nanos, input = excluded.input" : "") + " WHERE " + table +
           ".expires_ms <= excluded.created_ms").c_str()));
      FLK_TRY(k.select.prepare(writer_, ("SELECT status, body FROM " + table + " WHERE tenant = ?1 AND " + id +
                                         " = ?2 AND expires_ms > ?3").c_str()));
    }
    FLK_TRY(w_->budget.prepare(writer_, "SELECT budget FROM tenants WHERE id = ?1"));
    FLK_TRY(w_->spent.prepare(writer_, kSpentSql));
    FLK_TRY(w_->charge.prepare(writer_, kChargeSql));
    FLK_TRY(w_->upsert_tenant.prepare(writer_,
        "INSERT INTO tenants (id, rate_per_sec, burst, budget) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (id) DO UPDATE SET rate_per_sec = excluded.rate_per_sec, burst = excluded.burst, "
        "budget = excluded.budget"));
    FLK_TRY(w_->insert_key.prepare(writer_,
        "INSERT INTO tenant_keys (tenant, kid, alg, key_json, not_before_ms, not_after_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (tenant, kid) DO NOTHING"));
    FLK_TRY(w_->retire_key.prepare(writer_,
        "UPDATE tenant_keys SET not_after_ms = ?3 WHERE tenant = ?1 AND kid = ?2 AND "
        "(not_after_ms IS NULL OR not_after_ms > ?3)"));
    FLK_TRY(w_->put_state.prepare(writer_,
        "INSERT INTO anomaly_state (tenant, name, body, updated_ms) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (tenant, name) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms"));
    FLK_TRY(w_->head.prepare(writer_, "SELECT seq, hash FROM audit_head WHERE id = 1"));
    FLK_TRY(w_->set_head.prepare(writer_, "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1"));
    FLK_TRY(w_->insert_audit.prepare(writer_, "INSERT INTO audit_log (seq, hash, entry) VALUES (?1, ?2, ?3)"));
    return Ok{};
  }

  const char* kind() const override { return "sqlite"; }

  Status apply(std::vector<Write*>& batch, const AuditLinker& link) override {
    std::lock_guard<std::mutex> l(wmu_);
    const bool durable = !std::all_of(batch.begin(), batch.end(), [](const Write* w) { return journaled(*w); });
    return with_sync(durable, [&]() -> Status {
      FLK_TRY(exec(writer_, "BEGIN IMMEDIATE"));
      Status s = apply_in_tx(batch, link);
      w_->reset_all();
      if (!s.ok()) {
        (void)exec(writer_, "ROLLBACK");
        return s;
      }
      return exec(writer_, "COMMIT");
    });
  }

  Result<std::vector<TenantRecord>> tenants() override {
    std::lock_guard<std::mutex> l(rmu_);
    std::vector<TenantRecord> out;
    FLK_TRY(query(reader_, "SELECT id, rate_per_sec, burst, budget FROM tenants ORDER BY id", [&](sqlite3_stmt* s) {
      TenantRecord t;
      t.id = column_text(s, 0);
      t.rate_per_sec = sqlite3_column_double(s, 1);
      t.burst = sqlite3_column_double(s, 2);
      t.budget_json = column_text(s, 3);
      out.push_back(std::move(t));
    }));
    FLK_TRY(query(reader_,
                  "SELECT tenant, kid, alg, key_json, not_before_ms, not_after_ms FROM tenant_keys ORDER BY tenant, "
                  "not_before_ms, kid",
                  [&](sqlite3_stmt* s) {
                    KeyRecord k;
                    k.tenant = column_text(s, 0);
                    k.kid = column_text(s, 1);
                    k.alg = column_text(s, 2);
                    k.key_json = column_text(s, 3);
                    k.not_before_ms = sqlite3_column_int64(s, 4);
                    if (sqlite3_column_type(s, 5) != SQLITE_NULL) k.not_after_ms = sqlite3_column_int64(s, 5);
                    for (auto& t : out)
                      if (t.id == k.tenant) t.keys.push_back(k);
                  }));
    return out;
  }

  Result<std::vector<std::string>> audit_entries(int64_t after_seq, size_t limit) override {
    std::lock_guard<std::mutex> l(rmu_);
    std::vector<std::string> out;
    const std::string sql = "SELECT entry FROM audit_log WHERE seq > " + std::to_string(after_seq) +
                            " ORDER BY seq LIMIT " + std::to_string(limit);
    FLK_TRY(query(reader_, sql.c_str(), [&](sqlite3_stmt* s) { out.push_back(column_text(s, 0)); }));
    return out;
  }

  Result<AuditHead> audit_head() override {
    std::lock_guard<std::mutex> l(rmu_);
    AuditHead h;
    FLK_TRY(query(reader_, "SELECT seq, hash FROM audit_head WHERE id = 1", [&](sqlite3_stmt* s) {
      h.seq = sqlite3_column_int64(s, 0);
      h.hash = column_text(s, 1);
    }));
    return h;
  }

  Result<std::optional<Write>> verdict(const std::string& tenant, const std::string& pcs_id, int64_t now_ms) override {
    std::lock_guard<std::mutex> l(rmu_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(reader_, "SELECT status, body, expires_ms FROM pcs_results WHERE tenant = ?1 AND pcs_id = ?2",
                           -1, &s, nullptr) != SQLITE_OK)
      return db_error(reader_, "prepare");
    bind_text(s, 1, tenant);
    bind_text(s, 2, pcs_id);
    std::optional<Write> out;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_int64(s, 2) > now_ms) {
      Write w;
      w.tenant = tenant;
      w.id = pcs_id;
      w.winner_status = sqlite3_column_int(s, 0);
      w.winner_body = column_text(s, 1);
      out = std::move(w);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(reader_, "select verdict");
    return out;
  }

  Result<int64_t> spent(const std::string& tenant, int32_t from_day, int32_t to_day) override {
    std::lock_guard<std::mutex> l(rmu_);
    Stmt st;
    FLK_TRY(st.prepare(reader_, kSpentSql));
    return sum_spent(reader_, st.get(), tenant, from_day, to_day);
  }

  Result<std::vector<UsageRow>> usage_events(const std::string& tenant, int64_t from_ms, int64_t to_ms) override {
    std::lock_guard<std::mutex> l(rmu_);
    Stmt st;
    FLK_TRY(st.prepare(reader_, kUsageRowsSql));
    sqlite3_stmt* s = st.get();
    bind_text(s, 1, tenant);
    sqlite3_bind_int64(s, 2, from_ms);
    sqlite3_bind_int64(s, 3, to_ms);
    std::vector<UsageRow> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      out.push_back(UsageRow{column_text(s, 0), sqlite3_column_int64(s, 1), column_text(s, 2), column_text(s, 3)});
    if (rc != SQLITE_DONE) return db_error(reader_, "select usage events");
    return out;
  }

  Result<bool> put_billing(const BillingUpload& u, const AuditDraft& audit, const AuditLinker& link) override {
    std::lock_guard<std::mutex> l(wmu_);
    Stmt st;
    FLK_TRY(st.prepare(writer_,
                       "INSERT INTO billing_uploads (tenant, upload_id, created_ms, format, csv, summary) VALUES (?1, ?2, "
                       "?3, ?4, ?5, ?6) ON CONFLICT (tenant, upload_id) DO NOTHING"));
    // A billing upload is in no journal.
    return with_sync(true, [&] { return put_billing_in_tx(st, u, audit, link); });
  }

  Result<bool> put_billing_in_tx(Stmt& st, const BillingUpload& u, const AuditDraft& audit, const AuditLinker& link) {
    FLK_TRY(exec(writer_, "BEGIN IMMEDIATE"));
    Result<bool> stored = [&]() -> Result<bool> {
      sqlite3_stmt* s = st.get();
      bind_text(s, 1, u.tenant);
      bind_text(s, 2, u.upload_id);
      sqlite3_bind_int64(s, 3, u.created_ms);
      bind_text(s, 4, u.format);
      bind_text(s, 5, u.csv);
      bind_text(s, 6, u.summary);
      FLK_TRY(step_done(s, "insert billing upload"));
      if (sqlite3_changes(writer_) == 0) return false;
      Write w = audit_only_write(audit);
      std::vector<Write*> one = {&w};
      FLK_TRY(apply_in_tx(one, link));
      return true;
    }();
    st.reset();
    w_->reset_all();
    if (!stored.ok()) {
      (void)exec(writer_, "ROLLBACK");
      return stored;
    }
    FLK_TRY(exec(writer_, "COMMIT"));
    return stored;
  }

  Result<std::vector<BillingUpload>> billing_uploads(const std::string& tenant) override {
    std::lock_guard<std::mutex> l(rmu_);
    Stmt st;
    FLK_TRY(st.prepare(reader_, "SELECT upload_id, created_ms, format, csv, summary FROM billing_uploads WHERE tenant = ?1 "
                                "ORDER BY created_ms, upload_id"));
    sqlite3_stmt* s = st.get();
    bind_text(s, 1, tenant);
    std::vector<BillingUpload> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      out.push_back(BillingUpload{tenant, column_text(s, 0), sqlite3_column_int64(s, 1), column_text(s, 2),
                                  column_text(s, 3), column_text(s, 4)});
    if (rc != SQLITE_DONE) return db_error(reader_, "select billing uploads");
    return out;
  }

  Result<int64_t> purge_expired(int64_t now_ms) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_TRY(exec(writer_, ("DELETE FROM pcs_results WHERE expires_ms <= " + std::to_string(now_ms)).c_str()));
    return static_cast<int64_t>(sqlite3_changes(writer_));
  }

  Result<int64_t> purge_anomaly_events(int64_t now_ms) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_TRY(exec(writer_, ("DELETE FROM anomaly_events WHERE expires_ms <= " + std::to_string(now_ms)).c_str()));
    return static_cast<int64_t>(sqlite3_changes(writer_));
  }

  Result<std::vector<AnomalyEvent>> anomaly_events(const std::string& tenant, int64_t since_ms,
                                                   const std::string& after_id, size_t limit) override {
    std::lock_guard<std::mutex> l(rmu_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(reader_,
                           "SELECT event_id, body, created_ms FROM anomaly_events WHERE tenant = ?1 AND "
                           "(created_ms > ?2 OR (created_ms = ?2 AND event_id > ?3)) ORDER BY created_ms, event_id LIMIT ?4",
                           -1, &s, nullptr) != SQLITE_OK)
      return db_error(reader_, "prepare");
    bind_text(s, 1, tenant);
    sqlite3_bind_int64(s, 2, since_ms);
    bind_text(s, 3, after_id);
    sqlite3_bind_int64(s, 4, static_cast<int64_t>(limit));
    std::vector<AnomalyEvent> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      out.push_back(AnomalyEvent{column_text(s, 0), column_text(s, 1), sqlite3_column_int64(s, 2)});
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return db_error(reader_, "select anomaly events");
    return out;
  }

  Result<std::optional<std::string>> anomaly_state(const std::string& tenant, const std::string& name) override {
    return body_of("SELECT body FROM anomaly_state WHERE tenant = ?1 AND name = ?2", tenant, name);
  }

  Result<std::optional<std::string>> anomaly_event(const std::string& tenant, const std::string& event_id) override {
    return body_of("SELECT body FROM anomaly_events WHERE tenant = ?1 AND event_id = ?2", tenant, event_id);
  }

  Status checkpoint() override {
    std::lock_guard<std::mutex> l(wmu_);
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_FULL, &log, &done) != SQLITE_OK)
      return db_error(writer_, "checkpoint");
    return Ok{};
  }

  Status ping() override {
    std::lock_guard<std::mutex> l(rmu_);
    return exec(reader_, "SELECT 1");
  }

 private:
  struct Statements {
    struct Keyed {
      Stmt insert, select;
    };
    Keyed verdict, usage, anomaly;
    Stmt upsert_tenant, insert_key, retire_key, put_state, head, set_head, insert_audit, budget, spent, charge;
    void reset_all() {
      for (Stmt* st : {&verdict.insert, &verdict.select, &usage.insert, &usage.select, &anomaly.insert, &anomaly.select,
                       &upsert_tenant, &insert_key, &retire_key, &put_state, &head, &set_head, &insert_audit, &budget,
                       &spent, &charge})
        st->reset();
    }
  };

  template <typename Row>
  static Status query(sqlite3* db, const char* sql, Row row) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return db_error(db, std::string("prepare ") + sql);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return db_error(db, std::string("query ") + sql);
    return Ok{};
  }

  static Result<int64_t> sum_spent(sqlite3* db, sqlite3_stmt* s, const std::string& tenant, int32_t from_day,
                                   int32_t to_day) {
    bind_text(s, 1, tenant);
    sqlite3_bind_int64(s, 2, from_day);
    sqlite3_bind_int64(s, 3, to_day);
    if (sqlite3_step(s) != SQLITE_ROW) return db_error(db, "sum spend");
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return v;
  }

  // A usage event: an earlier unexpired one with its id answers; otherwise the budget judge (when
  // the tenant has a budget) may refuse it; otherwise it is stored and charged to its day.
  Status apply_usage(Write& w) {
    sqlite3_stmt* q = w_->usage.select.get();
    bind_text(q, 1, w.tenant);
    bind_text(q, 2, w.id);
    sqlite3_bind_int64(q, 3, w.now_ms);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      w.won = false;
      w.winner_status = sqlite3_column_int(q, 0);
      w.winner_body = column_text(q, 1);
      return Ok{};
    }
    if (rc != SQLITE_DONE) return db_error(writer_, "select usage event");
    if (w.judge) {
      sqlite3_stmt* b = w_->budget.get();
      bind_text(b, 1, w.tenant);
      rc = sqlite3_step(b);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(writer_, "select budget");
      const std::string budget = rc == SQLITE_ROW ? column_text(b, 0) : "";
      if (!budget.empty()) {
        SpendReader spent = [&](int32_t from, int32_t to) {
          return sum_spent(writer_, w_->spent.get(), w.tenant, from, to);
        };
        FLK_TRY(w.judge(budget, spent, w));
        if (w.refused) return Ok{};
      }
    }
    sqlite3_stmt* s = w_->usage.insert.get();
    bind_keyed(s, w);
    sqlite3_bind_int64(s, 7, w.cost_nanos);
    bind_text(s, 8, w.input);
    FLK_TRY(step_done(s, "insert usage event"));
    w.won = true;
    w.winner_status = w.status;
    w.winner_body = w.body;
    sqlite3_stmt* c = w_->charge.get();
    bind_text(c, 1, w.tenant);
    sqlite3_bind_int64(c, 2, day_of(w.now_ms));
    sqlite3_bind_int64(c, 3, w.cost_nanos);
    return step_done(c, "charge usage");
  }

  // The first column of the row that a two-key select (?1, ?2) finds, if any.
  Result<std::optional<std::string>> body_of(const char* sql, const std::string& a, const std::string& b) {
    std::lock_guard<std::mutex> l(rmu_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(reader_, sql, -1, &s, nullptr) != SQLITE_OK) return db_error(reader_, std::string("prepare ") + sql);
    bind_text(s, 1, a);
    bind_text(s, 2, b);
    std::optional<std::string> out;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) out = column_text(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(reader_, std::string("query ") + sql);
    return out;
  }

  // Runs a transaction with synchronous=FULL when durable (the pragma cannot change inside one).
  template <typename F>
  auto with_sync(bool durable, F run) -> decltype(run()) {
    if (!durable) return run();
    FLK_TRY(exec(writer_, "PRAGMA synchronous=FULL"));
    auto r = run();
    (void)exec(writer_, "PRAGMA synchronous=NORMAL");
    return r;
  }

  Status step_done(sqlite3_stmt* s, const char* what) {
    if (sqlite3_step(s) != SQLITE_DONE) return db_error(writer_, what);
    return Ok{};
  }

  Status migrate() {
    FLK_TRY(exec(writer_, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)"));
    int64_t have = 0;
    FLK_TRY(query(writer_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                  [&](sqlite3_stmt* s) { have = sqlite3_column_int64(s, 0); }));
    for (const Migration& m : migrations()) {
      if (m.version <= have) continue;
      FLK_TRY(exec(writer_, "BEGIN IMMEDIATE"));
      std::string sql = std::string(m.sql) + "; INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
                        ", CAST(strftime('%s','now') AS INTEGER) * 1000);";
      Status s = exec(writer_, sql.c_str());
      if (!s.ok()) {
        (void)exec(writer_, "ROLLBACK");
        return s;
      }
      FLK_TRY(exec(writer_, "COMMIT"));
    }
    return Ok{};
  }

  Status apply_in_tx(std::vector<Write*>& batch, const AuditLinker& link) {
    for (Write* w : batch) {
      switch (w->kind) {
        case Write::Kind::usage:
          FLK_TRY(apply_usage(*w));
          break;
        case Write::Kind::verdict:
        case Write::Kind::anomaly_event: {
          Statements::Keyed& k = w->kind == Write::Kind::verdict ? w_->verdict : w_->anomaly;
          sqlite3_stmt* s = k.insert.get();
          bind_keyed(s, *w);
          FLK_TRY(step_done(s, "insert keyed record"));
          w->won = sqlite3_changes(writer_) > 0;
          if (w->won) {
            w->winner_status = w->status;
            w->winner_body = w->body;
          } else {
            sqlite3_stmt* q = k.select.get();
            bind_text(q, 1, w->tenant);
            bind_text(q, 2, w->id);
            sqlite3_bind_int64(q, 3, w->now_ms);
            if (sqlite3_step(q) != SQLITE_ROW) return db_error(writer_, "select keyed record");
            w->winner_status = sqlite3_column_int(q, 0);
            w->winner_body = column_text(q, 1);
          }
          break;
        }
        case Write::Kind::tenant: {
          sqlite3_stmt* s = w_->upsert_tenant.get();
          bind_text(s, 1, w->tenant);
          sqlite3_bind_double(s, 2, w->rate_per_sec);
          sqlite3_bind_double(s, 3, w->burst);
          if (!w->budget_json.empty()) bind_text(s, 4, w->budget_json);
          FLK_TRY(step_done(s, "upsert tenant"));
          w->won = true;
          break;
        }
        case Write::Kind::key: {
          sqlite3_stmt* s = w_->insert_key.get();
          bind_text(s, 1, w->key.tenant);
          bind_text(s, 2, w->key.kid);
          bind_text(s, 3, w->key.alg);
          bind_text(s, 4, w->key.key_json);
          sqlite3_bind_int64(s, 5, w->key.not_before_ms);
          if (w->key.not_after_ms) sqlite3_bind_int64(s, 6, *w->key.not_after_ms);
          FLK_TRY(step_done(s, "insert key"));
          w->won = sqlite3_changes(writer_) > 0;
          break;
        }
        case Write::Kind::retire_key: {
          sqlite3_stmt* s = w_->retire_key.get();
          bind_text(s, 1, w->key.tenant);
          bind_text(s, 2, w->key.kid);
          sqlite3_bind_int64(s, 3, w->key.not_after_ms.value_or(0));
          FLK_TRY(step_done(s, "retire key"));
          w->won = sqlite3_changes(writer_) > 0;
          break;
        }
        case Write::Kind::anomaly_state: {
          sqlite3_stmt* s = w_->put_state.get();
          bind_text(s, 1, w->tenant);
          bind_text(s, 2, w->id);
          bind_text(s, 3, w->body);
          sqlite3_bind_int64(s, 4, w->now_ms);
          FLK_TRY(step_done(s, "put anomaly state"));
          w->won = true;
          break;
        }
        case Write::Kind::audit_only:
          w->won = true;
          break;
      }
    }
    AuditHead head;
    sqlite3_stmt* h = w_->head.get();
    if (sqlite3_step(h) != SQLITE_ROW) return db_error(writer_, "audit head");
    head.seq = sqlite3_column_int64(h, 0);
    head.hash = column_text(h, 1);
    sqlite3_reset(h);
    FLK_ASSIGN(auto rows, chain_drafts(batch, head, link));
    if (rows.empty()) return Ok{};
    for (const AuditRow& r : rows) {
      sqlite3_stmt* s = w_->insert_audit.get();
      sqlite3_bind_int64(s, 1, r.seq);
      bind_text(s, 2, r.hash);
      bind_text(s, 3, r.entry);
      FLK_TRY(step_done(s, "insert audit entry"));
    }
    sqlite3_stmt* s = w_->set_head.get();
    sqlite3_bind_int64(s, 1, head.seq);
    bind_text(s, 2, head.hash);
    return step_done(s, "update audit head");
  }

  sqlite3* writer_ = nullptr;
  sqlite3* reader_ = nullptr;
  int lock_fd_ = -1;
  std::mutex wmu_, rmu_;
  std::unique_ptr<Statements> w_ = std::make_unique<Statements>();
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  auto s = std::make_unique<SqliteStore>();
  FLK_TRY(s->init(path));
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace flk::server
