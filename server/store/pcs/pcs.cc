#include "store/pcs/pcs.h"

namespace flk::server {
namespace pcs {

const Area kArea{
    "pcs",
    {{1,
      {"CREATE TABLE IF NOT EXISTS pcs_results (tenant TEXT NOT NULL, pcs_id TEXT NOT NULL, status INTEGER NOT NULL, "
       "body TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, pcs_id))",
       "CREATE INDEX IF NOT EXISTS pcs_results_expires ON pcs_results (expires_ms)"}}}};

namespace {

constexpr KeyedTable kTable{"pcs_results", "pcs_id"};

Status apply_verdicts(Tx& tx, const std::vector<Write*>& run) { return apply_keyed_run(tx, kTable, run); }

const WriteType kType{"verdict", true, apply_verdicts};

}  // namespace

Result<std::optional<Verdict>> verdict(Store& store, const std::string& tenant, const std::string& pcs_id, int64_t now_ms) {
  std::optional<Verdict> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT status, body FROM pcs_results WHERE tenant = ?1 AND pcs_id = ?2 AND expires_ms > ?3",
                    {tenant, pcs_id, now_ms},
                    [&](const Row& r) { out = Verdict{static_cast<int>(r.integer(0)), r.text(1)}; }));
    return Ok{};
  }));
  return out;
}

Result<int64_t> purge_expired(Store& store, int64_t now_ms) { return flk::server::purge_expired(store, kTable, now_ms); }

}  // namespace pcs

const WriteType& VerdictWrite::type() const { return pcs::kType; }

}  // namespace flk::server
