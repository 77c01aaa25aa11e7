#include "util/stable_order.h"

#include <algorithm>
#include <numeric>

namespace flk {

std::vector<size_t> stable_order(size_t n, OrderBefore before, const void* context) {
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return before(context, a, b); });
  return idx;
}

}  // namespace flk
