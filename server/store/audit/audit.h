// The audit area: the hash chain of what the server decided (audit_log), and its last link
// (audit_head). Every batch locks the head first and appends its entries last (store/batch.cc).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};

// A write whose only effect is its audit entry (won: always): a decision the server made about a
// request without storing anything else, such as a PII screening (app/pii_policy.cc).
class AuditOnlyWrite final : public Write {
 public:
  const WriteType& type() const override;
};

namespace audit {

extern const Area kArea;

// The head into *out, locked until the transaction ends (PostgreSQL; SQLite's writer holds the
// database). A deferred statement (Tx::defer): *out is set once the next statement or a flush
// returns, and stays empty if the row is missing.
Status lock_head(Tx& tx, std::optional<AuditHead>* out);
// Chains the drafts of the writes that took effect (won) or were refused, in batch order.
Status append(Tx& tx, const std::vector<Write*>& batch, AuditHead head, const AuditLinker& link);

// Entries with seq > after_seq, oldest first, at most limit, as JSON text.
Result<std::vector<std::string>> entries(Store& store, int64_t after_seq, size_t limit);
Result<AuditHead> head(Store& store);

}  // namespace audit
}  // namespace flk::server
