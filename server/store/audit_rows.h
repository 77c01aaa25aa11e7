// Chaining a batch's audit drafts onto the current head: the part of Store::apply that both
// stores share. Only writes that took effect (won) or were refused by a budget are recorded.
#pragma once
#include <vector>

#include "store/store.h"

namespace flk::server {

struct AuditRow {
  int64_t seq = 0;
  std::string hash;
  std::string entry;  // canonical JSON
};

// Advances head past the new rows.
Result<std::vector<AuditRow>> chain_drafts(const std::vector<Write*>& batch, AuditHead& head, const AuditLinker& link);
// A write that only appends its draft: the audit entry of a change a store makes outside apply().
Write audit_only_write(const AuditDraft& draft);

}  // namespace flk::server
