// Store::apply: one order of application for both databases. Writes go in batch order; a run of
// consecutive independent writes (store.h's WriteType) is applied type by type, each type's
// writes in batch order, which is what one by one would give and lets PostgreSQL send each type
// in a few round trips. The audit entries are chained last, in batch order.
#include <utility>

#include "store/audit/audit.h"
#include "store/store.h"

namespace flk::server {
namespace {

Status apply_batch(Tx& tx, const std::vector<Write*>& batch, const AuditLinker& link) {
  // Locked first: the chain is one sequence even when several servers share the database. The
  // lock travels with the batch's first statement (PostgreSQL); its answer is read at the end.
  std::optional<AuditHead> head;
  FLK_TRY(audit::lock_head(tx, &head));
  std::vector<std::pair<const WriteType*, std::vector<Write*>>> groups;
  size_t i = 0;
  while (i < batch.size()) {
    const WriteType& first = batch[i]->type();
    groups.clear();
    for (; i < batch.size(); ++i) {
      const WriteType& t = batch[i]->type();
      // An independent run takes every independent type; any other run takes one type.
      if (first.independent ? !t.independent : &t != &first) break;
      auto g = groups.begin();
      while (g != groups.end() && g->first != &t) ++g;
      if (g == groups.end()) g = groups.insert(groups.end(), {&t, {}});
      g->second.push_back(batch[i]);
    }
    for (auto& g : groups) FLK_TRY(g.first->apply_run(tx, g.second));
  }
  FLK_TRY(tx.flush());
  if (!head) return make_error("store_error", "the audit head row is missing");
  return audit::append(tx, batch, *head, link);
}

}  // namespace

Status Store::apply(std::vector<Write*>& batch, const AuditLinker& link) {
  bool durable = false;
  for (const Write* w : batch) durable = durable || !w->journaled();
  return transact(durable, [&](Tx& tx) { return apply_batch(tx, batch, link); });
}

}  // namespace flk::server
