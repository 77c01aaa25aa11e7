// PostgreSQL store (libpq): one writer and one reader connection, each behind a mutex. A batch is
// applied in order, as in the SQLite store; within a run of verdicts, anomaly events and usage
// events (which do not depend on each other), the verdicts go in as arrays (unnest) whatever
// their number, first write wins through
// the (tenant, pcs_id) primary key; so do usage events, except those of tenants with a budget,
// which go one at a time under their tenant's row lock (decided on the spend read there). The audit head row is locked first
// (SELECT … FOR UPDATE) so the chain stays one sequence when several servers share the database.
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <mutex>

#include "store/audit_rows.h"
#include "store/schema.h"
#include "store/store.h"

namespace flk::server {
namespace {

constexpr const char* kMigrationLock = "727274";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A PostgreSQL array literal of text elements ({"a","b\"c"}).
class ArrayText {
 public:
  void add(const std::string& v) {
    s_ += s_.empty() ? "{\"" : ",\"";
    for (char c : v) {
      if (c == '"' || c == '\\') s_ += '\\';
      s_ += c;
    }
    s_ += '"';
  }
  void add(int64_t v) {
    s_ += s_.empty() ? "{" : ",";
    s_ += std::to_string(v);
  }
  std::string str() const { return s_.empty() ? "{}" : s_ + "}"; }

 private:
  std::string s_;
};

class Conn {
 public:
  explicit Conn(std::string url) : url_(std::move(url)) {}
  ~Conn() {
    if (c_) PQfinish(c_);
  }
  Status connect() {
    if (c_ && PQstatus(c_) == CONNECTION_OK) return Ok{};
    if (c_) PQfinish(c_);
    c_ = PQconnectdb(url_.c_str());
    if (PQstatus(c_) != CONNECTION_OK) return make_error("store_error", std::string("postgres: ") + PQerrorMessage(c_));
    PgResult r(PQexec(c_, "SET client_min_messages = warning"));
    return Ok{};
  }
  Result<PgResult> exec(const char* sql, const std::vector<std::string>& params = {}) {
    FLK_TRY(connect());
    std::vector<const char*> p;
    for (const auto& s : params) p.push_back(s.c_str());
    PgResult r(params.empty() ? PQexec(c_, sql)
                              : PQexecParams(c_, sql, static_cast<int>(p.size()), nullptr, p.data(), nullptr, nullptr, 0));
    ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string m = PQresultErrorMessage(r.get());
      while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
      return make_error("store_error", "postgres: " + m);
    }
    return r;
  }

 private:
  std::string url_;
  PGconn* c_ = nullptr;
};

std::string text(const PgResult& r, int row, int col) {
  return std::string(PQgetvalue(r.get(), row, col), static_cast<size_t>(PQgetlength(r.get(), row, col)));
}
int64_t integer(const PgResult& r, int row, int col) { return std::strtoll(PQgetvalue(r.get(), row, col), nullptr, 10); }

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const std::string& url) : w_(url), r_(url) {}

  Status init() {
    FLK_TRY(w_.connect());
    FLK_TRY(r_.connect());
    return migrate();
  }

  const char* kind() const override { return "postgres"; }

  Status apply(std::vector<Write*>& batch, const AuditLinker& link) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_TRY(w_.exec("BEGIN"));
    Status s = apply_in_tx(batch, link);
    if (!s.ok()) {
      (void)w_.exec("ROLLBACK");
      return s;
    }
    FLK_TRY(w_.exec("COMMIT"));
    return Ok{};
  }

  Result<std::vector<TenantRecord>> tenants() override {
    std::lock_guard<std::mutex> l(rmu_);
    std::vector<TenantRecord> out;
    FLK_ASSIGN(PgResult t, r_.exec("SELECT id, rate_per_sec, burst, COALESCE(budget, '') FROM tenants ORDER BY id"));
    for (int i = 0; i < PQntuples(t.get()); ++i) {
      TenantRecord rec;
      rec.id = text(t, i, 0);
      rec.rate_per_sec = std::strtod(PQgetvalue(t.get(), i, 1), nullptr);
      rec.burst = std::strtod(PQgetvalue(t.get(), i, 2), nullptr);
      rec.budget_json = text(t, i, 3);
      out.push_back(std::move(rec));
    }
    FLK_ASSIGN(PgResult k, r_.exec("SELECT tenant, kid, alg, key_json, not_before_ms, not_after_ms FROM tenant_keys "
                                   "ORDER BY tenant, not_before_ms, kid"));
    for (int i = 0; i < PQntuples(k.get()); ++i) {
      KeyRecord key;
      key.tenant = text(k, i, 0);
      key.kid = text(k, i, 1);
      key.alg = text(k, i, 2);
      key.key_json = text(k, i, 3);
      key.not_before_ms = integer(k, i, 4);
      if (!PQgetisnull(k.get(), i, 5)) key.not_after_ms = integer(k, i, 5);
      for (auto& t : out)
        if (t.id == key.tenant) t.keys.push_back(key);
    }
    return out;
  }

  Result<int64_t> purge_anomaly_events(int64_t now_ms) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_ASSIGN(PgResult r, w_.exec("DELETE FROM anomaly_events WHERE expires_ms <= $1", {std::to_string(now_ms)}));
    return static_cast<int64_t>(std::strtoll(PQcmdTuples(r.get()), nullptr, 10));
  }

  Result<std::vector<AnomalyEvent>> anomaly_events(const std::string& tenant, int64_t since_ms,
                                                   const std::string& after_id, size_t limit) override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT event_id, body, created_ms FROM anomaly_events WHERE tenant = $1 AND "
                                   "(created_ms > $2 OR (created_ms = $2 AND event_id COLLATE \"C\" > $3)) "
                                   "ORDER BY created_ms, event_id COLLATE \"C\" LIMIT $4",
                                   {tenant, std::to_string(since_ms), after_id, std::to_string(limit)}));
    std::vector<AnomalyEvent> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) out.push_back(AnomalyEvent{text(r, i, 0), text(r, i, 1), integer(r, i, 2)});
    return out;
  }

  Result<std::optional<std::string>> anomaly_state(const std::string& tenant, const std::string& name) override {
    return body_of("SELECT body FROM anomaly_state WHERE tenant = $1 AND name = $2", tenant, name);
  }

  Result<std::optional<std::string>> anomaly_event(const std::string& tenant, const std::string& event_id) override {
    return body_of("SELECT body FROM anomaly_events WHERE tenant = $1 AND event_id = $2", tenant, event_id);
  }

  // The first column of the row that a two-key select ($1, $2) finds, if any.
  Result<std::optional<std::string>> body_of(const char* sql, const std::string& a, const std::string& b) {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec(sql, {a, b}));
    if (PQntuples(r.get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(text(r, 0, 0));
  }

  Result<std::vector<std::string>> audit_entries(int64_t after_seq, size_t limit) override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT entry FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                   {std::to_string(after_seq), std::to_string(limit)}));
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) out.push_back(text(r, i, 0));
    return out;
  }

  Result<AuditHead> audit_head() override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT seq, hash FROM audit_head WHERE id = 1"));
    return AuditHead{integer(r, 0, 0), text(r, 0, 1)};
  }

  Result<std::optional<Write>> verdict(const std::string& tenant, const std::string& pcs_id, int64_t now_ms) override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT status, body FROM pcs_results WHERE tenant = $1 AND pcs_id = $2 AND expires_ms > $3",
                                   {tenant, pcs_id, std::to_string(now_ms)}));
    if (PQntuples(r.get()) == 0) return std::optional<Write>();
    Write w;
    w.tenant = tenant;
    w.id = pcs_id;
    w.winner_status = static_cast<int>(integer(r, 0, 0));
    w.winner_body = text(r, 0, 1);
    return std::optional<Write>(std::move(w));
  }

  Result<int64_t> spent(const std::string& tenant, int32_t from_day, int32_t to_day) override {
    std::lock_guard<std::mutex> l(rmu_);
    return sum_spent(r_, tenant, from_day, to_day);
  }

  Result<std::vector<UsageRow>> usage_events(const std::string& tenant, int64_t from_ms, int64_t to_ms) override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT event_id, created_ms, body, input FROM usage_events WHERE tenant = $1 AND "
                                   "created_ms >= $2 AND created_ms < $3 ORDER BY created_ms, event_id",
                                   {tenant, std::to_string(from_ms), std::to_string(to_ms)}));
    std::vector<UsageRow> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.push_back(UsageRow{text(r, i, 0), integer(r, i, 1), text(r, i, 2), text(r, i, 3)});
    return out;
  }

  Result<bool> put_billing(const BillingUpload& u, const AuditDraft& audit, const AuditLinker& link) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_TRY(w_.exec("BEGIN"));
    Result<bool> stored = [&]() -> Result<bool> {
      FLK_ASSIGN(PgResult r, w_.exec("INSERT INTO billing_uploads (tenant, upload_id, created_ms, format, csv, summary) "
                                     "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, upload_id) DO NOTHING",
                                     {u.tenant, u.upload_id, std::to_string(u.created_ms), u.format, u.csv, u.summary}));
      if (std::string(PQcmdTuples(r.get())) != "1") return false;
      Write w = audit_only_write(audit);
      std::vector<Write*> one = {&w};
      FLK_TRY(apply_in_tx(one, link));
      return true;
    }();
    if (!stored.ok()) {
      (void)w_.exec("ROLLBACK");
      return stored;
    }
    FLK_TRY(w_.exec("COMMIT"));
    return stored;
  }

  Result<std::vector<BillingUpload>> billing_uploads(const std::string& tenant) override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_ASSIGN(PgResult r, r_.exec("SELECT upload_id, created_ms, format, csv, summary FROM billing_uploads WHERE tenant = $1 "
                                   "ORDER BY created_ms, upload_id",
                                   {tenant}));
    std::vector<BillingUpload> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.push_back(BillingUpload{tenant, text(r, i, 0), integer(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4)});
    return out;
  }

  Result<int64_t> purge_expired(int64_t now_ms) override {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_ASSIGN(PgResult r, w_.exec("DELETE FROM pcs_results WHERE expires_ms <= $1", {std::to_string(now_ms)}));
    return static_cast<int64_t>(std::strtoll(PQcmdTuples(r.get()), nullptr, 10));
  }

  // Commits are durable when they return (synchronous_commit is the server's business).
  Status checkpoint() override { return Ok{}; }

  Status ping() override {
    std::lock_guard<std::mutex> l(rmu_);
    FLK_TRY(r_.exec("SELECT 1"));
    return Ok{};
  }

 private:
  Status migrate() {
    std::lock_guard<std::mutex> l(wmu_);
    FLK_TRY(w_.exec((std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")").c_str()));
    Status s = migrate_locked();
    (void)w_.exec((std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")").c_str());
    return s;
  }

  Status migrate_locked() {
    FLK_TRY(w_.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)"));
    FLK_ASSIGN(PgResult v, w_.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    const int64_t have = integer(v, 0, 0);
    for (const Migration& m : migrations()) {
      if (m.version <= have) continue;
      std::string sql = std::string("BEGIN; ") + m.sql + "; INSERT INTO schema_migrations VALUES (" +
                        std::to_string(m.version) + ", (extract(epoch from now()) * 1000)::bigint); COMMIT;";
      auto r = w_.exec(sql.c_str());
      if (!r.ok()) {
        (void)w_.exec("ROLLBACK");
        return r.error();
      }
    }
    return Ok{};
  }

  static Result<int64_t> sum_spent(Conn& c, const std::string& tenant, int32_t from_day, int32_t to_day) {
    FLK_ASSIGN(PgResult r, c.exec("SELECT COALESCE(SUM(spent_nanos), 0) FROM usage_spend WHERE tenant = $1 AND day >= $2 "
                                  "AND day < $3",
                                  {tenant, std::to_string(from_day), std::to_string(to_day)}));
    return integer(r, 0, 0);
  }

  // The batch's usage events. Their tenants' rows are locked first (so a budget and its spend
  // cannot move under a decision, whichever instance writes). Events of tenants without a budget
  // go in as arrays like the verdicts, with one spend update per (tenant, day); those of tenants
  // with one go one at a time, as in the SQLite store.
  Status apply_usage_batch(std::vector<Write*>& batch) {
    std::map<std::string, std::string> budgets;
    for (Write* w : batch)
      if (w->kind == Write::Kind::usage) budgets.emplace(w->tenant, "");
    if (budgets.empty()) return Ok{};
    ArrayText names;
    for (const auto& b : budgets) names.add(b.first);
    FLK_ASSIGN(PgResult r, w_.exec("SELECT id, COALESCE(budget, '') FROM tenants WHERE id = ANY($1::text[]) ORDER BY id "
                                   "FOR UPDATE",
                                   {names.str()}));
    for (int i = 0; i < PQntuples(r.get()); ++i) budgets[text(r, i, 0)] = text(r, i, 1);
    std::vector<Write*> plain;
    for (Write* w : batch) {
      if (w->kind != Write::Kind::usage) continue;
      const std::string& budget = budgets[w->tenant];
      if (w->judge && !budget.empty()) {
        FLK_TRY(apply_usage(*w, budget));
      } else {
        plain.push_back(w);
      }
    }
    FLK_TRY(apply_keyed(plain, Write::Kind::usage, kUsageTable));
    std::map<std::pair<std::string, int32_t>, std::pair<int64_t, int64_t>> spend;  // (tenant, day) → (nanos, events)
    for (Write* w : plain)
      if (w->won) {
        auto& s = spend[{w->tenant, day_of(w->now_ms)}];
        s.first += w->cost_nanos;
        s.second += 1;
      }
    if (spend.empty()) return Ok{};
    ArrayText tenants, days, nanos, events;
    for (const auto& [key, v] : spend) {
      tenants.add(key.first);
      days.add(static_cast<int64_t>(key.second));
      nanos.add(v.first);
      events.add(v.second);
    }
    FLK_TRY(w_.exec("INSERT INTO usage_spend (tenant, day, spent_nanos, events) SELECT * FROM unnest($1::text[], $2::int[], "
                    "$3::bigint[], $4::bigint[]) ON CONFLICT (tenant, day) DO UPDATE SET spent_nanos = "
                    "usage_spend.spent_nanos + EXCLUDED.spent_nanos, events = usage_spend.events + EXCLUDED.events",
                    {tenants.str(), days.str(), nanos.str(), events.str()}));
    return Ok{};
  }

  // One usage event of a tenant with a budget (its row locked): an earlier unexpired event with
  // the id answers, else the budget judge may refuse, else store and charge.
  Status apply_usage(Write& w, const std::string& budget) {
    FLK_ASSIGN(PgResult e, w_.exec("SELECT status, body FROM usage_events WHERE tenant = $1 AND event_id = $2 AND "
                                   "expires_ms > $3",
                                   {w.tenant, w.id, std::to_string(w.now_ms)}));
    if (PQntuples(e.get()) > 0) {
      w.won = false;
      w.winner_status = static_cast<int>(integer(e, 0, 0));
      w.winner_body = text(e, 0, 1);
      return Ok{};
    }
    {
      SpendReader spent = [&](int32_t from, int32_t to) { return sum_spent(w_, w.tenant, from, to); };
      FLK_TRY(w.judge(budget, spent, w));
      if (w.refused) return Ok{};
    }
    FLK_TRY(w_.exec("INSERT INTO usage_events (tenant, event_id, status, body, created_ms, expires_ms, cost_nanos, input) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant, event_id) DO UPDATE SET status = "
                    "EXCLUDED.status, body = EXCLUDED.body, created_ms = EXCLUDED.created_ms, expires_ms = "
                    "EXCLUDED.expires_ms, cost_nanos = EXCLUDED.cost_nanos, input = EXCLUDED.input",
                    {w.tenant, w.id, std::to_string(w.status), w.body, std::to_string(w.now_ms),
                     std::to_string(w.expires_ms), std::to_string(w.cost_nanos), w.input}));
    w.won = true;
    w.winner_status = w.status;
    w.winner_body = w.body;
    FLK_TRY(w_.exec("INSERT INTO usage_spend (tenant, day, spent_nanos, events) VALUES ($1, $2, $3, 1) ON CONFLICT "
                    "(tenant, day) DO UPDATE SET spent_nanos = usage_spend.spent_nanos + EXCLUDED.spent_nanos, "
                    "events = usage_spend.events + 1",
                    {w.tenant, std::to_string(day_of(w.now_ms)), std::to_string(w.cost_nanos)}));
    return Ok{};
  }

  // First write wins for the batch's records of one kind (verdicts, or usage events of tenants
  // without a budget, which also carry their cost and input).
  Status apply_keyed(std::vector<Write*>& batch, Write::Kind kind, const KeyedTable& t) {
    const bool usage = &t == &kUsageTable;
    // The first write of each key goes to the database; later ones in the batch share its outcome.
    std::map<std::pair<std::string, std::string>, Write*> first;
    ArrayText tenants, ids, statuses, bodies, created, expires, costs, inputs;
    for (Write* w : batch) {
      if (w->kind != kind || !first.emplace(std::make_pair(w->tenant, w->id), w).second) continue;
      tenants.add(w->tenant);
      ids.add(w->id);
      statuses.add(static_cast<int64_t>(w->status));
      bodies.add(w->body);
      created.add(w->now_ms);
      expires.add(w->expires_ms);
      costs.add(w->cost_nanos);
      inputs.add(w->input);
    }
    if (first.empty()) return Ok{};
    const std::string table = t.table, id = t.id_column, extra = usage ? ", cost_nanos, input" : "";
    const std::string insert =
        "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::bigint[]" +
        std::string(usage ? ", $7::bigint[], $8::text[]" : "") + ") AS t (tenant, id, status, body, created_ms, expires_ms" +
        extra + ")) INSERT INTO " + table + " (tenant, " + id + ", status, body, created_ms, expires_ms" + extra +
        ") SELECT tenant, id, status, body, created_ms, expires_ms" + extra + " FROM input ON CONFLICT (tenant, " + id +
        ") DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body, created_ms = EXCLUDED.created_ms, expires_ms = "
        "EXCLUDED.expires_ms" + (usage ? ", cost_nanos = EXCLUDED.cost_nanos, input = EXCLUDED.input" : "") + " WHERE " +
        table + ".expires_ms <= EXCLUDED.created_ms RETURNING tenant, " + id;
    std::vector<std::string> params = {tenants.str(), ids.str(), statuses.str(), bodies.str(), created.str(), expires.str()};
    if (usage) {
      params.push_back(costs.str());
      params.push_back(inputs.str());
    }
    FLK_ASSIGN(PgResult won, w_.exec(insert.c_str(), params));
    for (int i = 0; i < PQntuples(won.get()); ++i) {
      Write* w = first.at({text(won, i, 0), text(won, i, 1)});
      w->won = true;
      w->winner_status = w->status;
      w->winner_body = w->body;
    }
    ArrayText lt, lid;
    size_t losers = 0;
    for (auto& f : first)
      if (!f.second->won) {
        lt.add(f.first.first);
        lid.add(f.first.second);
        ++losers;
      }
    if (losers > 0) {
      const std::string select = "SELECT r.tenant, r." + id + ", r.status, r.body FROM " + table +
                                 " r JOIN unnest($1::text[], $2::text[]) AS k (tenant, id) ON r.tenant = k.tenant AND r." +
                                 id + " = k.id";
      FLK_ASSIGN(PgResult have, w_.exec(select.c_str(), {lt.str(), lid.str()}));
      for (int i = 0; i < PQntuples(have.get()); ++i) {
        Write* w = first.at({text(have, i, 0), text(have, i, 1)});
        w->winner_status = static_cast<int>(integer(have, i, 2));
        w->winner_body = text(have, i, 3);
      }
    }
    for (Write* w : batch) {
      if (w->kind != kind) continue;
      Write* f = first.at({w->tenant, w->id});
      if (f == w) continue;
      w->won = false;
      w->winner_status = f->winner_status;
      w->winner_body = f->winner_body;
    }
    for (auto& f : first)
      if (f.second->winner_body.empty()) return make_error("store_error", "a record vanished during its batch");
    return Ok{};
  }

  // A write that is not part of a run (see apply_in_tx).
  Status apply_one(Write& w) {
    switch (w.kind) {
      case Write::Kind::verdict:
      case Write::Kind::usage:
      case Write::Kind::anomaly_event:
        break;
      case Write::Kind::anomaly_state:
        FLK_TRY(w_.exec("INSERT INTO anomaly_state (tenant, name, body, updated_ms) VALUES ($1, $2, $3, $4) "
                        "ON CONFLICT (tenant, name) DO UPDATE SET body = EXCLUDED.body, updated_ms = EXCLUDED.updated_ms",
                        {w.tenant, w.id, w.body, std::to_string(w.now_ms)}));
        w.won = true;
        break;
      case Write::Kind::tenant: {
        FLK_TRY(w_.exec("INSERT INTO tenants (id, rate_per_sec, burst, budget) VALUES ($1, $2, $3, NULLIF($4, '')) ON "
                        "CONFLICT (id) DO UPDATE SET rate_per_sec = EXCLUDED.rate_per_sec, burst = EXCLUDED.burst, "
                        "budget = EXCLUDED.budget",
                        {w.tenant, std::to_string(w.rate_per_sec), std::to_string(w.burst), w.budget_json}));
        w.won = true;
        break;
      }
      case Write::Kind::key: {
        FLK_ASSIGN(PgResult r, w_.exec("INSERT INTO tenant_keys (tenant, kid, alg, key_json, not_before_ms, not_after_ms) "
                                       "VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::bigint) ON CONFLICT (tenant, kid) DO NOTHING",
                                       {w.key.tenant, w.key.kid, w.key.alg, w.key.key_json,
                                        std::to_string(w.key.not_before_ms),
                                        w.key.not_after_ms ? std::to_string(*w.key.not_after_ms) : std::string()}));
        w.won = std::string(PQcmdTuples(r.get())) == "1";
        break;
      }
      case Write::Kind::retire_key: {
        FLK_ASSIGN(PgResult r, w_.exec("UPDATE tenant_keys SET not_after_ms = $3 WHERE tenant = $1 AND kid = $2 AND "
                                       "(not_after_ms IS NULL OR not_after_ms > $3)",
                                       {w.key.tenant, w.key.kid, std::to_string(w.key.not_after_ms.value_or(0))}));
        w.won = std::string(PQcmdTuples(r.get())) == "1";
        break;
      }
      case Write::Kind::audit_only:
        w.won = true;
        break;
    }
    return Ok{};
  }

  Status apply_in_tx(std::vector<Write*>& batch, const AuditLinker& link) {
    FLK_ASSIGN(PgResult h, w_.exec("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"));
    AuditHead head{integer(h, 0, 0), text(h, 0, 1)};
    // In batch order, as the SQLite store: a run of verdicts, anomaly events and usage events goes
    // in as arrays; any other write ends the run and is applied on its own. So a budget set in the
    // batch applies to the usage events after it, not to those before.
    std::vector<Write*> run;
    for (size_t i = 0; i <= batch.size(); ++i) {
      Write* w = i < batch.size() ? batch[i] : nullptr;
      if (w && (w->kind == Write::Kind::verdict || w->kind == Write::Kind::anomaly_event || w->kind == Write::Kind::usage)) {
        run.push_back(w);
        continue;
      }
      if (!run.empty()) {
        FLK_TRY(apply_keyed(run, Write::Kind::verdict, kVerdictTable));
        FLK_TRY(apply_keyed(run, Write::Kind::anomaly_event, kAnomalyTable));
        FLK_TRY(apply_usage_batch(run));
        run.clear();
      }
      if (w) FLK_TRY(apply_one(*w));
    }
    FLK_ASSIGN(auto rows, chain_drafts(batch, head, link));
    if (rows.empty()) return Ok{};
    ArrayText seqs, hashes, entries;
    for (const AuditRow& r : rows) {
      seqs.add(r.seq);
      hashes.add(r.hash);
      entries.add(r.entry);
    }
    FLK_TRY(w_.exec("INSERT INTO audit_log (seq, hash, entry) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])",
                    {seqs.str(), hashes.str(), entries.str()}));
    FLK_TRY(w_.exec("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {std::to_string(head.seq), head.hash}));
    return Ok{};
  }

  Conn w_, r_;
  std::mutex wmu_, rmu_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url) {
  auto s = std::make_unique<PostgresStore>(url);
  FLK_TRY(s->init());
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace flk::server
