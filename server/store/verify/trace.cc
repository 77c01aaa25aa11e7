#include "store/verify/trace.h"

namespace flk::server::verify {

Result<std::vector<TracedDecision>> recent_decisions(Store& store, const std::string& tenant, int64_t limit) {
  std::vector<TracedDecision> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    const std::string sql =
        "SELECT v.id, v.body, (SELECT l.hallucinated FROM verification_labels l WHERE l.tenant = v.tenant AND l.id = v.id "
        "ORDER BY CASE WHEN l.source = 'human' THEN 0 ELSE 1 END, l.created DESC, l.source" + c + " LIMIT 1) "
        "FROM verifications v WHERE v.tenant = ?1 ORDER BY v.created DESC, v.id" + c + " LIMIT ?2";
    FLK_TRY(tx.exec(sql.c_str(), {tenant, limit}, [&](const Row& r) {
      out.push_back(TracedDecision{r.text(0), r.text(1), r.null(2) ? -1 : static_cast<int>(r.integer(2))});
    }));
    return Ok{};
  }));
  return out;
}

}  // namespace flk::server::verify
