#include "store/verify/verify.h"

namespace flk::server {
namespace verify {

const Area kArea{
    "verify",
    {{1,
      {"CREATE TABLE IF NOT EXISTS verifications (tenant TEXT NOT NULL, id TEXT NOT NULL, action TEXT NOT NULL, "
       "created BIGINT NOT NULL, policy_id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tenant, id))",
       "CREATE INDEX IF NOT EXISTS verifications_time ON verifications (tenant, created)",
       "CREATE TABLE IF NOT EXISTS verification_labels (tenant TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, "
       "hallucinated INTEGER NOT NULL, note TEXT NOT NULL, created BIGINT NOT NULL, PRIMARY KEY (tenant, id, source))"}}}};

namespace {

Status apply_verifications(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<VerificationWrite&>(*w);
    const Verification& v = x.v;
    FLK_ASSIGN(int64_t n, tx.exec("INSERT INTO verifications (tenant, id, action, created, policy_id, body) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant, id) DO NOTHING",
                                  {v.tenant, v.id, v.action, v.created, v.policy_id, v.body}));
    x.won = n > 0;
  }
  return Ok{};
}

// Only a label of an existing verification is stored: the insert selects from verifications.
Status apply_labels(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& x = static_cast<LabelWrite&>(*w);
    const VerificationLabel& l = x.label;
    FLK_ASSIGN(int64_t n,
               tx.exec("INSERT INTO verification_labels (tenant, id, source, hallucinated, note, created) SELECT ?1, ?2, "
                       "?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM verifications WHERE tenant = ?1 AND id = ?2) ON "
                       "CONFLICT (tenant, id, source) DO UPDATE SET hallucinated = excluded.hallucinated, note = "
                       "excluded.note, created = excluded.created",
                       {l.tenant, l.id, l.source, static_cast<int64_t>(l.hallucinated ? 1 : 0), l.note, l.created}));
    x.won = n > 0;
  }
  return Ok{};
}

// Labels read verifications, so their writes are not independent of them.
const WriteType kVerificationType{"verification", false, apply_verifications};
const WriteType kLabelType{"verification_label", false, apply_labels};

}  // namespace

Result<std::optional<Verification>> verification(Store& store, const std::string& tenant, const std::string& id) {
  std::optional<Verification> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT action, created, policy_id, body FROM verifications WHERE tenant = ?1 AND id = ?2",
                    {tenant, id},
                    [&](const Row& r) { out = Verification{tenant, id, r.text(0), r.integer(1), r.text(2), r.text(3)}; }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<AgreementCell>> agreement(Store& store, const std::string& tenant) {
  std::vector<AgreementCell> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql = "SELECT v.action, l.hallucinated, COUNT(*) FROM verifications v JOIN verification_labels l ON "
                            "l.tenant = v.tenant AND l.id = v.id WHERE v.tenant = ?1 GROUP BY v.action, l.hallucinated "
                            "ORDER BY v.action" + c + ", l.hallucinated";
    FLK_TRY(tx.exec(sql.c_str(), {tenant},
                    [&](const Row& r) { out.push_back(AgreementCell{r.text(0), r.integer(1) != 0, r.integer(2)}); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<Labelled>> labelled(Store& store, const std::string& tenant, const std::string& source, int64_t limit) {
  std::vector<Labelled> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql = "SELECT v.body, l.hallucinated FROM verifications v JOIN verification_labels l ON l.tenant = "
                            "v.tenant AND l.id = v.id WHERE v.tenant = ?1 AND (?2 = '' OR l.source = ?2) ORDER BY "
                            "l.created DESC, v.id" + c + ", l.source" + c + " LIMIT ?3";
    FLK_TRY(tx.exec(sql.c_str(), {tenant, source, limit},
                    [&](const Row& r) { out.push_back(Labelled{r.text(0), r.integer(1) != 0}); }));
    return Ok{};
  }));
  return out;
}

}  // namespace verify

const WriteType& VerificationWrite::type() const { return verify::kVerificationType; }
const WriteType& LabelWrite::type() const { return verify::kLabelType; }

}  // namespace flk::server
