#include "store/usage/usage.h"

#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "store/tenants/tenants.h"

namespace flk::server {
namespace usage {

const Area kArea{
    "usage",
    {{1,
      {"CREATE TABLE IF NOT EXISTS usage_events (tenant TEXT NOT NULL, event_id TEXT NOT NULL, status INTEGER NOT NULL, "
       "body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, cost_nanos BIGINT NOT NULL DEFAULT "
       "0, input TEXT NOT NULL DEFAULT '', PRIMARY KEY (tenant, event_id))",
       "CREATE INDEX IF NOT EXISTS usage_events_created ON usage_events (tenant, created_ms)",
       "CREATE TABLE IF NOT EXISTS usage_spend (tenant TEXT NOT NULL, day INTEGER NOT NULL, spent_nanos BIGINT NOT NULL, "
       "events BIGINT NOT NULL, PRIMARY KEY (tenant, day))"}},
     // Attribution columns; the events stored before them get their model and provider back
     // from the stored pricing (the body), and no task, user, labels or verification.
     {2,
      {"ALTER TABLE usage_events ADD COLUMN model TEXT NOT NULL DEFAULT ''",
       "ALTER TABLE usage_events ADD COLUMN provider TEXT NOT NULL DEFAULT ''",
       "ALTER TABLE usage_events ADD COLUMN task TEXT NOT NULL DEFAULT ''",
       "ALTER TABLE usage_events ADD COLUMN user_id TEXT NOT NULL DEFAULT ''",
       "ALTER TABLE usage_events ADD COLUMN verification_id TEXT NOT NULL DEFAULT ''",
       "CREATE TABLE IF NOT EXISTS usage_labels (tenant TEXT NOT NULL, event_id TEXT NOT NULL, key TEXT NOT NULL, "
       "value TEXT NOT NULL, PRIMARY KEY (tenant, event_id, key))",
       // Reports read only this index (the bodies stay on disk): the group columns, the cost, and
       // the event id the label joins use.
       "CREATE INDEX IF NOT EXISTS usage_events_report ON usage_events (tenant, created_ms, model, provider, task, "
       "user_id, cost_nanos, event_id)"},
      {"UPDATE usage_events SET model = COALESCE(json_extract(body, '$.model'), ''), "
       "provider = COALESCE(json_extract(body, '$.provider'), '') WHERE json_valid(body)"},
      {"UPDATE usage_events SET model = COALESCE(body::json->>'model', ''), provider = COALESCE(body::json->>'provider', "
       "'')"}},
     // The spend of one verification (canary rollouts' cost per trusted task) without a scan.
     {3,
      {"CREATE INDEX IF NOT EXISTS usage_events_verification ON usage_events (tenant, verification_id, cost_nanos) WHERE "
       "verification_id <> ''"}}}};

namespace {

using Key = std::pair<std::string, std::string>;

const KeyedTable kTable{"usage_events", "event_id", ", cost_nanos, input, model, provider, task, user_id, verification_id",
                        7, [](const KeyedWrite& w, std::vector<Param>& out) {
                          const auto& u = static_cast<const UsageWrite&>(w);
                          const UsageAttribution& a = u.attribution;
                          out.insert(out.end(), {Param(u.cost_nanos), Param(u.input), Param(a.model), Param(a.provider),
                                                 Param(a.task), Param(a.user), Param(a.verification_id)});
                        }};

// The labels of the run's stored events (an id taken again after its record expired gets the new ones).
Status insert_labels(Tx& tx, const std::vector<UsageWrite*>& ws) {
  std::vector<Param> rows;
  for (const UsageWrite* w : ws)
    if (w->won)
      for (const auto& [k, v] : w->attribution.labels) rows.insert(rows.end(), {Param(w->tenant), Param(w->id), Param(k), Param(v)});
  if (rows.empty()) return Ok{};
  return tx.exec_rows("INSERT INTO usage_labels (tenant, event_id, key, value) VALUES", 4, rows,
                      " ON CONFLICT (tenant, event_id, key) DO UPDATE SET value = excluded.value");
}

constexpr const char* kSpentSql =
    "SELECT COALESCE(SUM(spent_nanos), 0) FROM usage_spend WHERE tenant = ?1 AND day >= ?2 AND day < ?3";

// A tenant's stored spend per day over [from, to): every budget window (a month at most) that
// holds a day of the run, read with the tenant's lock in one round trip.
struct SpendDays {
  int32_t from = 0, to = 0;
  std::map<int32_t, int64_t> nanos;
};

Status read_spend_days(Tx& tx, const std::string& tenant, SpendDays* d) {
  FLK_TRY(tx.exec("SELECT day, spent_nanos FROM usage_spend WHERE tenant = ?1 AND day >= ?2 AND day < ?3",
                  {tenant, static_cast<int64_t>(d->from), static_cast<int64_t>(d->to)},
                  [d](const Row& r) { d->nanos[static_cast<int32_t>(r.integer(0))] = r.integer(1); }));
  return Ok{};
}

// Tenants whose events found a budget at their last batch. Their stored events and spend are
// read in the round trip that locks their budget; the others' only if a budget turns up (set
// since, or by another instance). A guess that saves round trips, never an answer.
class BudgetedTenants {
 public:
  bool has(const std::string& tenant) {
    std::lock_guard<std::mutex> l(mu_);
    return tenants_.count(tenant) > 0;
  }
  void note(const std::string& tenant, bool budgeted) {
    std::lock_guard<std::mutex> l(mu_);
    if (!budgeted) {
      tenants_.erase(tenant);
      return;
    }
    if (tenants_.size() >= 4096) tenants_.clear();
    tenants_.insert(tenant);
  }

 private:
  std::mutex mu_;
  std::set<std::string> tenants_;
};

BudgetedTenants& budgeted() {
  static BudgetedTenants b;
  return b;
}

// The spend one tenant's judge reads while its events of a run are decided in order: the stored
// spend of each window (read once, or summed from the days read with the lock) plus what the
// events accepted so far will charge.
class RunSpend {
 public:
  RunSpend(Tx& tx, std::string tenant, const SpendDays* days) : tx_(tx), tenant_(std::move(tenant)), days_(days) {}
  Result<int64_t> read(int32_t from, int32_t to) {
    auto it = stored_.find({from, to});
    if (it == stored_.end()) {
      int64_t v = 0;
      if (days_ && from >= days_->from && to <= days_->to) {
        for (auto d = days_->nanos.lower_bound(from); d != days_->nanos.end() && d->first < to; ++d) v += d->second;
      } else {
        FLK_ASSIGN(v, tx_.integer_of(kSpentSql, {tenant_, static_cast<int64_t>(from), static_cast<int64_t>(to)}));
      }
      it = stored_.emplace(std::make_pair(from, to), v).first;
    }
    int64_t sum = it->second;
    for (const auto& [day, nanos] : added_)
      if (day >= from && day < to) sum += nanos;
    return sum;
  }
  void charge(int32_t day, int64_t nanos) { added_[day] += nanos; }

 private:
  Tx& tx_;
  std::string tenant_;
  const SpendDays* days_;
  std::map<std::pair<int32_t, int32_t>, int64_t> stored_;
  std::map<int32_t, int64_t> added_;
};

// The events of tenants with a budget: decided in batch order before anything is written, against
// their stored records (stored) and spend (days, per tenant, where read with the lock).
Status decide(Tx& tx, const std::vector<UsageWrite*>& run, const std::map<std::string, StoredBudget>& budgets,
              const StoredRecords& stored, const std::map<std::string, SpendDays>& days,
              std::vector<KeyedWrite*>& accepted) {
  std::map<Key, StoredRecord> live(stored.begin(), stored.end());
  std::map<Key, UsageWrite*> taken;
  std::map<std::string, RunSpend> spend;
  for (UsageWrite* w : run) {
    const Key key(w->tenant, w->id);
    if (taken.count(key)) continue;  // the earlier event answers (after it is inserted)
    auto l = live.find(key);
    if (l != live.end() && l->second.expires_ms > w->now_ms) {
      w->won = false;
      w->winner_status = l->second.status;
      w->winner_body = l->second.body;
      continue;
    }
    if (w->judge) {
      auto d = days.find(w->tenant);
      RunSpend& s = spend.try_emplace(w->tenant, tx, w->tenant, d == days.end() ? nullptr : &d->second).first->second;
      FLK_TRY(w->judge(budgets.at(w->tenant), [&](int32_t from, int32_t to) { return s.read(from, to); }, *w));
      if (w->refused) continue;
      s.charge(day_of(w->now_ms), w->cost_nanos);
    }
    taken.emplace(key, w);
    accepted.push_back(w);
  }
  return Ok{};
}

// Refuses the events whose verification_id names no verification of their tenant, with one
// read of the verify area's table for the run.
Status refuse_unknown_verifications(Tx& tx, const std::vector<UsageWrite*>& ws) {
  std::vector<Param> keys;
  for (UsageWrite* w : ws)
    if (!w->attribution.verification_id.empty()) keys.insert(keys.end(), {Param(w->tenant), Param(w->attribution.verification_id)});
  if (keys.empty()) return Ok{};
  std::set<std::pair<std::string, std::string>> known;
  FLK_TRY(tx.exec_rows("SELECT tenant, id FROM verifications WHERE (tenant, id) IN (VALUES", 2, keys, ")",
                       [&](const Row& r) { known.emplace(r.text(0), r.text(1)); }));
  for (UsageWrite* w : ws)
    if (!w->attribution.verification_id.empty() && !known.count({w->tenant, w->attribution.verification_id})) {
      w->refused = true;
      w->unknown_verification = true;
    }
  return Ok{};
}

Status apply_usage(Tx& tx, const std::vector<Write*>& run) {
  std::vector<UsageWrite*> all, ws;
  for (Write* w : run) all.push_back(static_cast<UsageWrite*>(w));
  FLK_TRY(refuse_unknown_verifications(tx, all));
  std::map<std::string, StoredBudget> budgets;  // tenants with a judged event -> budget ("" for none)
  for (UsageWrite* w : all) {
    if (w->unknown_verification) continue;
    ws.push_back(w);
    if (w->judge) budgets.emplace(w->tenant, StoredBudget{});
  }
  // The judged events of tenants that had a budget last time, and the days of spend their windows
  // can cover (a month either side of the run's days).
  std::vector<KeyedWrite*> guessed;
  std::map<std::string, SpendDays> days;
  std::set<std::string> guess;
  for (const auto& b : budgets)
    if (budgeted().has(b.first)) guess.insert(b.first);
  for (UsageWrite* w : ws) {
    if (!w->judge || !guess.count(w->tenant)) continue;
    guessed.push_back(w);
    const int32_t day = day_of(w->now_ms);
    auto [d, fresh] = days.try_emplace(w->tenant);
    d->second.from = fresh ? day - 31 : std::min(d->second.from, day - 31);
    d->second.to = fresh ? day + 32 : std::max(d->second.to, day + 32);
  }
  StoredRecords stored;
  FLK_TRY(tx.pipeline([&]() -> Status {
    // In name order, so two instances lock the same rows in the same order; the reads after the
    // locks see what was committed before them.
    for (auto& [tenant, budget] : budgets) FLK_TRY(tenants::budget_locked(tx, tenant, &budget));
    FLK_TRY(find_records(tx, kTable, guessed, &stored));
    for (auto& [tenant, d] : days) FLK_TRY(read_spend_days(tx, tenant, &d));
    return Ok{};
  }));
  std::vector<UsageWrite*> judged;
  std::vector<KeyedWrite*> to_insert, unguessed;
  for (UsageWrite* w : ws) {
    auto b = budgets.find(w->tenant);
    if (b != budgets.end() && !b->second.empty()) {
      judged.push_back(w);
      if (!guess.count(w->tenant)) unguessed.push_back(w);
    } else {
      to_insert.push_back(w);
    }
  }
  for (const auto& [tenant, budget] : budgets) budgeted().note(tenant, !budget.empty());
  FLK_TRY(find_records(tx, kTable, unguessed, &stored));
  std::vector<KeyedWrite*> accepted;
  FLK_TRY(decide(tx, judged, budgets, stored, days, accepted));
  to_insert.insert(to_insert.end(), accepted.begin(), accepted.end());
  FLK_TRY(insert_first_wins(tx, kTable, to_insert));
  // Duplicates of an accepted event within the run answer with it.
  std::map<Key, KeyedWrite*> winners;
  for (KeyedWrite* w : accepted) winners.emplace(Key(w->tenant, w->id), w);
  for (UsageWrite* w : judged) {
    auto f = winners.find(Key(w->tenant, w->id));
    if (f == winners.end() || f->second == w || w->refused || !w->winner_body.empty()) continue;
    w->won = false;
    w->winner_status = f->second->winner_status;
    w->winner_body = f->second->winner_body;
  }
  FLK_TRY(insert_labels(tx, ws));
  std::map<std::pair<std::string, int32_t>, std::pair<int64_t, int64_t>> charges;  // (tenant, day) -> (nanos, events)
  for (UsageWrite* w : ws)
    if (w->won) {
      auto& c = charges[{w->tenant, day_of(w->now_ms)}];
      c.first += w->cost_nanos;
      c.second += 1;
    }
  if (charges.empty()) return Ok{};
  std::vector<Param> rows;
  for (const auto& [key, c] : charges)
    rows.insert(rows.end(), {Param(key.first), Param(static_cast<int64_t>(key.second)), Param(c.first), Param(c.second)});
  return tx.exec_rows("INSERT INTO usage_spend (tenant, day, spent_nanos, events) VALUES", 4, rows,
                      " ON CONFLICT (tenant, day) DO UPDATE SET spent_nanos = usage_spend.spent_nanos + "
                      "excluded.spent_nanos, events = usage_spend.events + excluded.events");
}

const WriteType kType{"usage", true, apply_usage};

}  // namespace

Result<int64_t> spent(Store& store, const std::string& tenant, int32_t from_day, int32_t to_day) {
  int64_t out = 0;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_ASSIGN(out, tx.integer_of(kSpentSql, {tenant, static_cast<int64_t>(from_day), static_cast<int64_t>(to_day)}));
    return Ok{};
  }));
  return out;
}

Result<std::vector<UsageRow>> events(Store& store, const std::string& tenant, int64_t from_ms, int64_t to_ms) {
  std::vector<UsageRow> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string("SELECT event_id, created_ms, body, input FROM usage_events WHERE tenant = ?1 "
                                        "AND created_ms >= ?2 AND created_ms < ?3 ORDER BY created_ms, event_id") +
                            tx.binary_order();
    FLK_TRY(tx.exec(sql.c_str(), {tenant, from_ms, to_ms},
                    [&](const Row& r) { out.push_back(UsageRow{r.text(0), r.integer(1), r.text(2), r.text(3)}); }));
    return Ok{};
  }));
  return out;
}

}  // namespace usage

const WriteType& UsageWrite::type() const { return usage::kType; }

}  // namespace flk::server
