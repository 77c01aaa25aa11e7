#include "store/store.h"

namespace flk::server {

Status Store::ping() {
  return read([](Tx& tx) -> Status {
    FLK_TRY(tx.exec("SELECT 1", {}));
    return Ok{};
  });
}

Result<std::unique_ptr<Store>> open_store(const std::string& postgres_url, const std::string& data_dir) {
  if (!postgres_url.empty()) return open_postgres_store(postgres_url);
  return open_sqlite_store(data_dir + "/flk.sqlite");
}

}  // namespace flk::server
