#include "util/work_budget.h"

namespace flk::work {

uint64_t product(std::initializer_list<uint64_t> factors) {
  uint64_t p = 1;
  for (uint64_t f : factors) {
    if (f != 0 && p > UINT64_MAX / f) return UINT64_MAX;
    p *= f;
  }
  return p;
}

Status check(uint64_t units, uint64_t limit, const std::string& what, const std::string& path) {
  if (units <= limit) return Ok{};
  const std::string amount = units == UINT64_MAX ? "more than 2^64" : std::to_string(units);
  return make_error("too_large", path + ": " + what + " is " + amount + "; the limit is " + std::to_string(limit), path);
}

}  // namespace flk::work
