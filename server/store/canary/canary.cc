#include "store/canary/canary.h"

namespace flk::server {
namespace canary {

const Area kArea{
    "canary",
    {{1,
      {"CREATE TABLE IF NOT EXISTS canary_rollouts (tenant TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, "
       "body TEXT NOT NULL, updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant))"}}}};

namespace {

Status apply_rollouts(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<CanaryWrite&>(*w);
    const CanaryRollout& r = x.rollout;
    const char* sql = x.expect_running
                          ? "INSERT INTO canary_rollouts (tenant, id, status, body, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT (tenant) DO UPDATE SET id = excluded.id, status = excluded.status, body = "
                            "excluded.body, updated_ms = excluded.updated_ms WHERE canary_rollouts.status = 'running'"
                          : "INSERT INTO canary_rollouts (tenant, id, status, body, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT (tenant) DO UPDATE SET id = excluded.id, status = excluded.status, body = "
                            "excluded.body, updated_ms = excluded.updated_ms";
    FLK_ASSIGN(int64_t n, tx.exec(sql, {r.tenant, r.id, r.status, r.body, r.updated_ms}));
    x.won = n > 0;
  }
  return Ok{};
}

const WriteType kRolloutType{"canary_rollout", false, apply_rollouts};

CanaryRollout row_of(const Row& r) { return CanaryRollout{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4)}; }

}  // namespace

Result<std::optional<CanaryRollout>> rollout(Store& store, const std::string& tenant) {
  std::optional<CanaryRollout> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT tenant, id, status, body, updated_ms FROM canary_rollouts WHERE tenant = ?1", {tenant},
                    [&](const Row& r) { out = row_of(r); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<CanaryRollout>> running(Store& store) {
  std::vector<CanaryRollout> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = "SELECT tenant, id, status, body, updated_ms FROM canary_rollouts WHERE status = 'running' "
                            "ORDER BY tenant" + std::string(tx.binary_order());
    FLK_TRY(tx.exec(sql.c_str(), {}, [&](const Row& r) { out.push_back(row_of(r)); }));
    return Ok{};
  }));
  return out;
}

}  // namespace canary

const WriteType& CanaryWrite::type() const { return canary::kRolloutType; }

}  // namespace flk::server
