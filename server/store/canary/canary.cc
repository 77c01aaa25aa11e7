#include "store/canary/canary.h"

namespace flk::server {
namespace canary {

const Area kArea{
    "canary",
    {{1,
      {"CREATE TABLE IF NOT EXISTS canary_rollouts (tenant TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, "
       "body TEXT NOT NULL, updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant))"}},
     // Observations in the store, so that every instance on one database judges the same cohorts.
     {2,
      {"ALTER TABLE canary_rollouts ADD COLUMN phase BIGINT NOT NULL DEFAULT 0",
       "ALTER TABLE canary_rollouts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
       "CREATE TABLE IF NOT EXISTS canary_observations (tenant TEXT NOT NULL, rollout TEXT NOT NULL, phase BIGINT NOT "
       "NULL, cohort TEXT NOT NULL, verification_id TEXT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, escalated "
       "INTEGER NOT NULL, error INTEGER NOT NULL, served INTEGER NOT NULL, cost_usd DOUBLE PRECISION NOT NULL, created "
       "BIGINT NOT NULL, PRIMARY KEY (tenant, rollout, phase, cohort, verification_id))"}}}};

namespace {

Status apply_rollouts(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<CanaryWrite&>(*w);
    CanaryRollout& r = x.rollout;
    const char* upsert =
        "INSERT INTO canary_rollouts (tenant, id, status, body, updated_ms, phase, revision) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7) ON CONFLICT (tenant) DO UPDATE SET id = excluded.id, status = excluded.status, body = excluded.body, "
        "updated_ms = excluded.updated_ms, phase = excluded.phase, revision = canary_rollouts.revision + 1";
    std::vector<Param> params = {r.tenant, r.id, r.status, r.body, r.updated_ms, r.phase, int64_t(0)};
    std::string sql = upsert;
    if (x.expect_running) {
      sql += " WHERE canary_rollouts.status = 'running' AND canary_rollouts.id = ?2 AND (?8 < 0 OR canary_rollouts.revision "
             "= ?8)";
      params.push_back(x.expect_revision);
    } else {
      sql += " WHERE canary_rollouts.status <> 'running'";
    }
    sql += " RETURNING revision";
    FLK_ASSIGN(int64_t n, tx.exec(sql.c_str(), params, [&](const Row& row) { r.revision = row.integer(0); }));
    x.won = n > 0;
    if (!x.won) continue;
    FLK_TRY(tx.exec("DELETE FROM canary_observations WHERE tenant = ?1 AND (rollout <> ?2 OR phase < ?3 OR ?4 <> 'running')",
                    {r.tenant, r.id, r.phase, r.status}));
  }
  return Ok{};
}

Status apply_observations(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<CanaryObservationWrite&>(*w);
    const CanaryObservation& o = x.o;
    FLK_ASSIGN(int64_t n,
               tx.exec("INSERT INTO canary_observations (tenant, rollout, phase, cohort, verification_id, latency_ms, "
                       "escalated, error, served, cost_usd, created) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 "
                       "WHERE EXISTS (SELECT 1 FROM canary_rollouts WHERE tenant = ?1 AND id = ?2 AND phase = ?3 AND "
                       "status = 'running') AND (SELECT COUNT(*) FROM canary_observations WHERE tenant = ?1 AND rollout = "
                       "?2 AND phase = ?3 AND cohort = ?4) < ?12 ON CONFLICT (tenant, rollout, phase, cohort, "
                       "verification_id) DO NOTHING",
                       {x.tenant, x.rollout, x.phase, o.cohort, o.verification_id, o.latency_ms,
                        static_cast<int64_t>(o.escalated), static_cast<int64_t>(o.error), static_cast<int64_t>(o.served),
                        o.cost_usd, o.created, x.max_samples}));
    x.won = n > 0;
  }
  return Ok{};
}

// Observations read the rollouts' rows, so neither type is independent.
const WriteType kRolloutType{"canary_rollout", false, apply_rollouts};
const WriteType kObservationType{"canary_observation", false, apply_observations};

constexpr const char* kColumns = "SELECT tenant, id, status, body, updated_ms, phase, revision FROM canary_rollouts";

CanaryRollout row_of(const Row& r) {
  return CanaryRollout{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5), r.integer(6)};
}

}  // namespace

Result<std::optional<CanaryRollout>> rollout(Store& store, const std::string& tenant) {
  std::optional<CanaryRollout> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string(kColumns) + " WHERE tenant = ?1";
    FLK_TRY(tx.exec(sql.c_str(), {tenant}, [&](const Row& r) { out = row_of(r); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<CanaryRollout>> running(Store& store) {
  std::vector<CanaryRollout> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string(kColumns) + " WHERE status = 'running' ORDER BY tenant" + tx.binary_order();
    FLK_TRY(tx.exec(sql.c_str(), {}, [&](const Row& r) { out.push_back(row_of(r)); }));
    return Ok{};
  }));
  return out;
}

Result<std::optional<Head>> running_head(Store& store, const std::string& tenant) {
  std::optional<Head> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT id, phase, revision FROM canary_rollouts WHERE tenant = ?1 AND status = 'running'", {tenant},
                    [&](const Row& r) { out = Head{r.text(0), r.integer(1), r.integer(2)}; }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<CanaryObservation>> observations(Store& store, const std::string& tenant, const std::string& rollout,
                                                    int64_t phase, const std::string& cohort, int64_t limit) {
  std::vector<CanaryObservation> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql =
        "SELECT o.verification_id, o.latency_ms, o.escalated, o.error, o.served, o.cost_usd, o.created, (SELECT "
        "l.hallucinated FROM verification_labels l WHERE l.tenant = o.tenant AND l.id = o.verification_id ORDER BY CASE "
        "WHEN l.source = 'human' THEN 0 ELSE 1 END, l.created DESC, l.source" + c + " LIMIT 1), (SELECT CAST(SUM(e.cost_nanos) "
        "AS BIGINT) FROM usage_events e WHERE e.tenant = o.tenant AND e.verification_id = o.verification_id AND "
        "e.verification_id <> '') FROM canary_observations o "
        "WHERE o.tenant = ?1 AND o.rollout = ?2 AND o.phase = ?3 AND o.cohort = ?4 ORDER BY o.created, o.verification_id" +
        c + " LIMIT ?5";
    FLK_TRY(tx.exec(sql.c_str(), {tenant, rollout, phase, cohort, limit}, [&](const Row& r) {
      CanaryObservation o;
      o.cohort = cohort;
      o.verification_id = r.text(0);
      o.latency_ms = r.real(1);
      o.escalated = r.integer(2) != 0;
      o.error = r.integer(3) != 0;
      o.served = r.integer(4) != 0;
      o.cost_usd = r.real(5);
      o.created = r.integer(6);
      o.label = r.null(7) ? -1 : static_cast<int>(r.integer(7));
      if (!r.null(8)) o.cost_usd = double(r.integer(8)) / 1e9;
      out.push_back(std::move(o));
    }));
    return Ok{};
  }));
  return out;
}

Result<std::pair<int64_t, int64_t>> observed(Store& store, const std::string& tenant, const std::string& rollout, int64_t phase) {
  std::pair<int64_t, int64_t> out{0, 0};
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT cohort, COUNT(*) FROM canary_observations WHERE tenant = ?1 AND rollout = ?2 AND phase = ?3 "
                    "GROUP BY cohort",
                    {tenant, rollout, phase}, [&](const Row& r) {
                      (r.text(0) == "canary" ? out.second : out.first) = r.integer(1);
                    }));
    return Ok{};
  }));
  return out;
}

}  // namespace canary

const WriteType& CanaryWrite::type() const { return canary::kRolloutType; }
const WriteType& CanaryObservationWrite::type() const { return canary::kObservationType; }

}  // namespace flk::server
