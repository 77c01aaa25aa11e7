#include "store/adaptive/adaptive.h"

namespace flk::server {
namespace adaptive {

const Area kArea{
    "adaptive",
    {{1,
      {"CREATE TABLE IF NOT EXISTS adaptive_bandits (tenant TEXT NOT NULL, policy TEXT NOT NULL, state TEXT NOT NULL, "
       "updated BIGINT NOT NULL, PRIMARY KEY (tenant, policy))",
       "CREATE TABLE IF NOT EXISTS adaptive_rewarded (tenant TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, "
       "PRIMARY KEY (tenant, id, source))",
       "CREATE TABLE IF NOT EXISTS adaptive_agreement (tenant TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, both_voted "
       "BIGINT NOT NULL, agreed BIGINT NOT NULL, PRIMARY KEY (tenant, a, b))"}}}};

namespace {

// The row is created, then updated before it is read: the update takes PostgreSQL's row lock
// (SQLite has one writer), so the read sees the last committed state and no reward is lost.
Status apply_rewards(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<BanditRewardWrite&>(*w);
    FLK_ASSIGN(int64_t first, tx.exec("INSERT INTO adaptive_rewarded (tenant, id, source) SELECT ?1, ?2, ?3 WHERE EXISTS "
                                      "(SELECT 1 FROM verifications WHERE tenant = ?1 AND id = ?2) ON CONFLICT (tenant, "
                                      "id, source) DO NOTHING",
                                      {x.tenant, x.id, x.source}));
    if (first == 0) continue;
    FLK_TRY(tx.exec("INSERT INTO adaptive_bandits (tenant, policy, state, updated) VALUES (?1, ?2, '', ?3) ON CONFLICT "
                    "(tenant, policy) DO NOTHING",
                    {x.tenant, x.policy, x.now}));
    FLK_TRY(tx.exec("UPDATE adaptive_bandits SET updated = ?3 WHERE tenant = ?1 AND policy = ?2", {x.tenant, x.policy, x.now}));
    std::string old;
    FLK_TRY(tx.exec("SELECT state FROM adaptive_bandits WHERE tenant = ?1 AND policy = ?2", {x.tenant, x.policy},
                    [&](const Row& r) { old = r.text(0); }));
    FLK_ASSIGN(std::string next, x.next(old));
    FLK_TRY(tx.exec("UPDATE adaptive_bandits SET state = ?3 WHERE tenant = ?1 AND policy = ?2", {x.tenant, x.policy, next}));
    x.won = true;
  }
  return Ok{};
}

Status apply_agreement(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<AgreementWrite&>(*w);
    for (const PairCount& p : x.pairs)
      FLK_TRY(tx.exec("INSERT INTO adaptive_agreement (tenant, a, b, both_voted, agreed) VALUES (?1, ?2, ?3, ?4, ?5) ON "
                      "CONFLICT (tenant, a, b) DO UPDATE SET both_voted = adaptive_agreement.both_voted + "
                      "excluded.both_voted, agreed = adaptive_agreement.agreed + excluded.agreed",
                      {x.tenant, p.a, p.b, p.both, p.agree}));
    x.won = true;
  }
  return Ok{};
}

// Rewards read verifications; the counters touch their own table only.
const WriteType kRewardType{"bandit_reward", false, apply_rewards};
const WriteType kAgreementType{"voter_agreement", true, apply_agreement};

}  // namespace

Result<std::string> state(Store& store, const std::string& tenant, const std::string& policy) {
  std::string out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT state FROM adaptive_bandits WHERE tenant = ?1 AND policy = ?2", {tenant, policy},
                    [&](const Row& r) { out = r.text(0); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<BanditRow>> bandits(Store& store, const std::string& tenant) {
  std::vector<BanditRow> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string("SELECT policy, state, updated FROM adaptive_bandits WHERE tenant = ?1 ORDER BY policy") + tx.binary_order();
    FLK_TRY(tx.exec(sql.c_str(), {tenant}, [&](const Row& r) { out.push_back(BanditRow{r.text(0), r.text(1), r.integer(2)}); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<PairCount>> agreement(Store& store, const std::string& tenant) {
  std::vector<PairCount> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql = "SELECT a, b, both_voted, agreed FROM adaptive_agreement WHERE tenant = ?1 ORDER BY a" + c + ", b" + c;
    FLK_TRY(tx.exec(sql.c_str(), {tenant},
                    [&](const Row& r) { out.push_back(PairCount{r.text(0), r.text(1), r.integer(2), r.integer(3)}); }));
    return Ok{};
  }));
  return out;
}

}  // namespace adaptive

const WriteType& BanditRewardWrite::type() const { return adaptive::kRewardType; }
const WriteType& AgreementWrite::type() const { return adaptive::kAgreementType; }

}  // namespace flk::server
