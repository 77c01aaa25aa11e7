#include "store/keyed.h"

#include <map>

namespace flk::server {

namespace {
using Key = std::pair<std::string, std::string>;
}

Status find_records(Tx& tx, const KeyedTable& t, const std::vector<KeyedWrite*>& run, StoredRecords* out) {
  if (run.empty()) return Ok{};
  std::vector<Param> keys;
  for (const KeyedWrite* w : run) {
    keys.emplace_back(w->tenant);
    keys.emplace_back(w->id);
  }
  const std::string head = std::string("SELECT tenant, ") + t.id_column + ", status, body, expires_ms FROM " + t.table +
                           " WHERE (tenant, " + t.id_column + ") IN (VALUES";
  return tx.exec_rows(head.c_str(), 2, keys, ")", [out](const Row& r) {
    out->push_back({{r.text(0), r.text(1)}, StoredRecord{static_cast<int>(r.integer(2)), r.text(3), r.integer(4)}});
  });
}

Status apply_keyed_run(Tx& tx, const KeyedTable& t, const std::vector<Write*>& run) {
  std::vector<KeyedWrite*> ws;
  for (Write* w : run) ws.push_back(static_cast<KeyedWrite*>(w));
  return insert_first_wins(tx, t, ws);
}

Result<int64_t> purge_expired(Store& store, const KeyedTable& t, int64_t now_ms) {
  const std::string sql = std::string("DELETE FROM ") + t.table + " WHERE expires_ms <= ?1";
  int64_t n = 0;
  FLK_TRY(store.transact(false, [&](Tx& tx) -> Status {
    FLK_ASSIGN(n, tx.exec(sql.c_str(), {now_ms}));
    return Ok{};
  }));
  return n;
}

Status insert_first_wins(Tx& tx, const KeyedTable& t, const std::vector<KeyedWrite*>& run) {
  // The first write of each key goes to the database; later ones in the run share its outcome.
  std::map<Key, KeyedWrite*> first;
  std::vector<Param> rows;
  const int cols = 6 + t.extra_count;
  for (KeyedWrite* w : run) {
    if (!first.emplace(Key(w->tenant, w->id), w).second) continue;
    rows.insert(rows.end(), {Param(w->tenant), Param(w->id), Param(w->status), Param(w->body), Param(w->now_ms),
                             Param(w->expires_ms)});
    if (t.extra_values) t.extra_values(*w, rows);
  }
  if (first.empty()) return Ok{};
  const std::string table = t.table, id = t.id_column;
  std::string set = "status = excluded.status, body = excluded.body, created_ms = excluded.created_ms, "
                    "expires_ms = excluded.expires_ms";
  for (std::string rest = t.extra_columns; !rest.empty();) {
    // ", a, b" -> ", a = excluded.a, b = excluded.b"
    const size_t start = rest.find_first_not_of(", ");
    if (start == std::string::npos) break;
    const size_t end = rest.find(',', start);
    const std::string c = rest.substr(start, end == std::string::npos ? std::string::npos : end - start);
    set += ", " + c + " = excluded." + c;
    rest = end == std::string::npos ? "" : rest.substr(end);
  }
  const std::string head = "INSERT INTO " + table + " (tenant, " + id + ", status, body, created_ms, expires_ms" +
                           t.extra_columns + ") VALUES";
  const std::string tail = " ON CONFLICT (tenant, " + id + ") DO UPDATE SET " + set + " WHERE " + table +
                           ".expires_ms <= excluded.created_ms RETURNING tenant, " + id;
  FLK_TRY(tx.exec_rows(head.c_str(), cols, rows, tail.c_str(), [&](const Row& r) {
    auto f = first.find(Key(r.text(0), r.text(1)));
    if (f == first.end()) return;
    f->second->won = true;
    f->second->winner_status = f->second->status;
    f->second->winner_body = f->second->body;
  }));
  std::vector<KeyedWrite*> losers;
  for (auto& f : first)
    if (!f.second->won) losers.push_back(f.second);
  StoredRecords stored;
  FLK_TRY(find_records(tx, t, losers, &stored));
  for (auto& [key, rec] : stored) {
    KeyedWrite* w = first.at(key);
    w->winner_status = rec.status;
    w->winner_body = rec.body;
  }
  for (KeyedWrite* w : run) {
    KeyedWrite* f = first.at(Key(w->tenant, w->id));
    if (f->winner_body.empty()) return make_error("store_error", "a record vanished during its batch");
    if (f == w) continue;
    w->won = false;
    w->winner_status = f->winner_status;
    w->winner_body = f->winner_body;
  }
  return Ok{};
}

}  // namespace flk::server
