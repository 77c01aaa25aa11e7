// The PCS area: verdicts (pcs_results), first write wins on (tenant, pcs_id) until they expire.
#pragma once
#include <optional>
#include <string>

#include "store/area.h"
#include "store/keyed.h"

namespace flk::server {

// A verdict: id = pcs_id. Journaled: the server's WAL holds the request that made it.
class VerdictWrite final : public KeyedWrite {
 public:
  const WriteType& type() const override;
  bool journaled() const override { return true; }
};

namespace pcs {

extern const Area kArea;

struct Verdict {
  int status = 0;
  std::string body;
};
// The tenant's unexpired verdict for pcs_id, if there is one.
Result<std::optional<Verdict>> verdict(Store& store, const std::string& tenant, const std::string& pcs_id, int64_t now_ms);
// Deletes expired verdicts; returns how many.
Result<int64_t> purge_expired(Store& store, int64_t now_ms);

}  // namespace pcs
}  // namespace flk::server
