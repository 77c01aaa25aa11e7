#include "store/area.h"
#include "store/store.h"

namespace flk::server {
namespace {

// Taken in every schema transaction on PostgreSQL, so instances starting together migrate one at a time.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(727274)";

Status lock(Tx& tx) {
  if (tx.dialect() == Dialect::postgres) FLK_TRY(tx.exec(kMigrationLock, {}));
  return Ok{};
}

// Databases from before store areas recorded one global version in schema_migrations; at
// version 4 their tables are exactly every area's step 1 (which is written IF NOT EXISTS).
Status check_legacy(Tx& tx) {
  const char* exists = tx.dialect() == Dialect::sqlite
                           ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                           : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' "
                             "AND table_schema = current_schema()";
  FLK_ASSIGN(int64_t n, tx.integer_of(exists, {}));
  if (n == 0) return Ok{};
  FLK_ASSIGN(int64_t version, tx.integer_of("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}));
  if (version < 4)
    return make_error("store_error", "the database is at schema version " + std::to_string(version) +
                                         "; open it once with a release from before store areas to bring it to 4");
  return Ok{};
}

}  // namespace

Status migrate(Store& store) {
  FLK_TRY(store.transact(true, [](Tx& tx) -> Status {
    FLK_TRY(lock(tx));
    FLK_TRY(tx.exec("CREATE TABLE IF NOT EXISTS store_migrations (area TEXT NOT NULL, version INTEGER NOT NULL, "
                    "applied_ms BIGINT NOT NULL, PRIMARY KEY (area, version))",
                    {}));
    return check_legacy(tx);
  }));
  for (const Area* area : areas()) {
    for (const Migration& m : area->migrations) {
      FLK_TRY(store.transact(true, [&](Tx& tx) -> Status {
        FLK_TRY(lock(tx));
        FLK_ASSIGN(int64_t have, tx.integer_of("SELECT COUNT(*) FROM store_migrations WHERE area = ?1 AND version = ?2",
                                               {area->name, m.version}));
        if (have > 0) return Ok{};
        for (const char* sql : m.statements) FLK_TRY(tx.exec(sql, {}));
        for (const char* sql : tx.dialect() == Dialect::sqlite ? m.sqlite_only : m.postgres_only) FLK_TRY(tx.exec(sql, {}));
        const char* record = tx.dialect() == Dialect::sqlite
                                 ? "INSERT INTO store_migrations VALUES (?1, ?2, CAST(strftime('%s','now') AS INTEGER) * 1000)"
                                 : "INSERT INTO store_migrations VALUES (?1, ?2, (extract(epoch from now()) * 1000)::bigint)";
        FLK_TRY(tx.exec(record, {area->name, m.version}));
        return Ok{};
      }));
    }
  }
  return Ok{};
}

}  // namespace flk::server
