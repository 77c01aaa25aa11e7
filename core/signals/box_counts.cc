#include "signals/box_counts.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace flk::signals {

Result<std::vector<int64_t>> box_counts(const Points& points, const std::vector<int64_t>& scales) {
  constexpr double kLimit = 4611686018427387904.0;  // 2^62
  std::vector<int64_t> counts;
  counts.reserve(scales.size());
  const size_t d = points.empty() ? 0 : points[0].size();
  std::vector<int64_t> cells(points.size() * d);
  std::vector<size_t> order(points.size());
  for (int64_t s : scales) {
    for (size_t i = 0; i < points.size(); ++i)
      for (size_t k = 0; k < d; ++k) {
        double c = std::floor(points[i][k] * static_cast<double>(s));
        if (!(std::fabs(c) < kLimit))
          return make_error("out_of_range",
                            "point " + std::to_string(i) + " times scale " + std::to_string(s) + " is too large",
                            "$.points[" + std::to_string(i) + "]");
        cells[i * d + k] = static_cast<int64_t>(c);
      }
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto cell_less = [&](size_t a, size_t b) {
      return std::lexicographical_compare(&cells[a * d], &cells[a * d] + d, &cells[b * d], &cells[b * d] + d);
    };
    std::sort(order.begin(), order.end(), cell_less);
    int64_t distinct = 0;
    for (size_t i = 0; i < order.size(); ++i)
      if (i == 0 || cell_less(order[i - 1], order[i])) ++distinct;
    counts.push_back(distinct);
  }
  return counts;
}

}  // namespace flk::signals
