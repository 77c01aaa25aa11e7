#include "signals/theil_sen.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "math/dmath.h"
#include "util/decimal_round.h"

namespace flk::signals {

Result<TheilSen> theil_sen(const std::vector<int64_t>& scales, const std::vector<int64_t>& counts) {
  if (scales.size() < 2) return make_error("too_few_scales", "need at least 2 scales");
  if (counts.size() != scales.size()) return make_error("missing_count", "one count per scale is required");
  std::vector<double> x, y;
  for (size_t i = 0; i < scales.size(); ++i) {
    if (scales[i] <= 0) return make_error("bad_scale", "scale " + std::to_string(scales[i]) + " is not positive");
    if (counts[i] <= 0)
      return make_error("bad_count", "count for scale " + std::to_string(scales[i]) + " is not positive");
    x.push_back(dm::log2(static_cast<double>(scales[i])));
    y.push_back(dm::log2(static_cast<double>(counts[i])));
  }
  TheilSen out;
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j) {
      double dx = x[j] - x[i];
      if (std::fabs(dx) < 1e-9) continue;
      out.slopes.push_back((y[j] - y[i]) / dx);
    }
  if (out.slopes.empty()) return make_error("no_slopes", "all scales are equal");
  std::sort(out.slopes.begin(), out.slopes.end());
  out.d_hat = round_exact(out.slopes[out.slopes.size() / 2], 9);
  return out;
}

}  // namespace flk::signals
