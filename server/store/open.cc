#include "store/store.h"

namespace flk::server {

Result<std::unique_ptr<Store>> open_store(const std::string& postgres_url, const std::string& data_dir) {
  if (!postgres_url.empty()) return open_postgres_store(postgres_url);
  return open_sqlite_store(data_dir + "/flk.sqlite");
}

}  // namespace flk::server
