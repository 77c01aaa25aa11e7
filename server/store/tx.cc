#include "store/tx.h"

namespace flk::server {

Result<std::optional<std::string>> Tx::text_of(const char* sql, const std::vector<Param>& params) {
  std::optional<std::string> out;
  FLK_TRY(exec(sql, params, [&](const Row& r) {
    if (!out && !r.null(0)) out = r.text(0);
  }));
  return out;
}

Result<int64_t> Tx::integer_of(const char* sql, const std::vector<Param>& params) {
  int64_t out = 0;
  FLK_TRY(exec(sql, params, [&](const Row& r) { out = r.integer(0); }));
  return out;
}

}  // namespace flk::server
