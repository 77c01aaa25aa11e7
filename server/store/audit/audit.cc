#include "store/audit/audit.h"

#include "json/write.h"

namespace flk::server::audit {

const Area kArea{
    "audit",
    {{1,
      {"CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, entry TEXT NOT NULL)",
       "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT "
       "NOT NULL)",
       "INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000') "
       "ON CONFLICT (id) DO NOTHING"}}}};

namespace {

Result<AuditHead> read_head(Tx& tx, const char* sql) {
  AuditHead h;
  bool found = false;
  FLK_TRY(tx.exec(sql, {}, [&](const Row& r) {
    h.seq = r.integer(0);
    h.hash = r.text(1);
    found = true;
  }));
  if (!found) return make_error("store_error", "the audit head row is missing");
  return h;
}

Status apply_audit_only(Tx&, const std::vector<Write*>& run) {
  for (Write* w : run) w->won = true;
  return Ok{};
}

const WriteType kAuditOnlyType{"audit_only", true, apply_audit_only};

}  // namespace

Status lock_head(Tx& tx, std::optional<AuditHead>* out) {
  out->reset();
  return tx.defer(tx.dialect() == Dialect::postgres ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                                    : "SELECT seq, hash FROM audit_head WHERE id = 1",
                  {}, [out](const Row& r) { *out = AuditHead{r.integer(0), r.text(1)}; });
}

Status append(Tx& tx, const std::vector<Write*>& batch, AuditHead head, const AuditLinker& link) {
  std::vector<std::string> hashes, texts;
  std::vector<int64_t> seqs;
  for (const Write* w : batch) {
    if ((!w->won && !w->refused) || !w->audit) continue;
    FLK_ASSIGN(json::Value entry, link(*w->audit, head.seq + 1, head.hash));
    const json::Value* h = entry.find("hash");
    if (!h || !h->is_string()) return make_error("internal", "audit.link returned no hash");
    head.seq += 1;
    head.hash = h->as_string();
    seqs.push_back(head.seq);
    hashes.push_back(head.hash);
    texts.push_back(json::to_string(entry));
  }
  if (seqs.empty()) return Ok{};
  std::vector<Param> rows;
  for (size_t k = 0; k < seqs.size(); ++k) rows.insert(rows.end(), {Param(seqs[k]), Param(hashes[k]), Param(texts[k])});
  return tx.pipeline([&]() -> Status {
    FLK_TRY(tx.exec_rows("INSERT INTO audit_log (seq, hash, entry) VALUES", 3, rows, ""));
    FLK_TRY(tx.exec("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1", {head.seq, head.hash}));
    return Ok{};
  });
}

Result<std::vector<std::string>> entries(Store& store, int64_t after_seq, size_t limit) {
  std::vector<std::string> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT entry FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                    {after_seq, static_cast<int64_t>(limit)}, [&](const Row& r) { out.push_back(r.text(0)); }));
    return Ok{};
  }));
  return out;
}

Result<AuditHead> head(Store& store) {
  AuditHead h;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_ASSIGN(h, read_head(tx, "SELECT seq, hash FROM audit_head WHERE id = 1"));
    return Ok{};
  }));
  return h;
}

}  // namespace flk::server::audit

namespace flk::server {
const WriteType& AuditOnlyWrite::type() const { return audit::kAuditOnlyType; }
}  // namespace flk::server
