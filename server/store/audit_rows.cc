#include "store/audit_rows.h"

#include "json/write.h"

namespace flk::server {

Result<std::vector<AuditRow>> chain_drafts(const std::vector<Write*>& batch, AuditHead& head, const AuditLinker& link) {
  std::vector<AuditRow> rows;
  for (const Write* w : batch) {
    if ((!w->won && !w->refused) || !w->audit) continue;
    FLK_ASSIGN(json::Value entry, link(*w->audit, head.seq + 1, head.hash));
    const json::Value* h = entry.find("hash");
    if (!h || !h->is_string()) return make_error("internal", "audit.link returned no hash");
    head.seq += 1;
    head.hash = h->as_string();
    rows.push_back(AuditRow{head.seq, head.hash, json::to_string(entry)});
  }
  return rows;
}

Write audit_only_write(const AuditDraft& draft) {
  Write w;
  w.kind = Write::Kind::audit_only;
  w.audit = draft;
  return w;
}

}  // namespace flk::server
