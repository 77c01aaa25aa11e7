// D̂: Theil–Sen slope of log2(N_j) against log2(scale) (spec §2.2): the upper middle element
// of the sorted pairwise slopes, pairs with |Δx| < 1e-9 skipped, rounded to 9 dp.
#pragma once
#include <cstdint>
#include <vector>

#include "util/result.h"

namespace flk::signals {

struct TheilSen {
  double d_hat;                 // rounded to 9 dp (Python round)
  std::vector<double> slopes;   // sorted, unrounded
};

// Errors (code, message) mirror the verifier's "D_hat recomputation failed:" reasons:
// fewer than 2 scales, a count that is missing or <= 0, no usable pair.
Result<TheilSen> theil_sen(const std::vector<int64_t>& scales, const std::vector<int64_t>& counts);

}  // namespace flk::signals
