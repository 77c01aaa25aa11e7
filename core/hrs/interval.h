// The 95 % interval's grounding term. The members' spread says how much a score depends on the
// training sample; it stays narrow where every member agrees that it cannot tell (a closed-book
// answer near 0.5). A second term, an extra logit standard deviation per grounding regime (no
// context / context) added in quadrature, is fitted on out-of-fold logits so that the interval
// reaches the side of 0.5 that the label is on for 95 % of the examples of that regime.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "hrs/calibration.h"

namespace flk::hrs {

constexpr double kIntervalZ = 1.96;

// Half-width on the logit scale of an interval with member spread s and grounding term g.
double interval_half_width(double spread, double grounding_sd);

struct GroundingFit {
  std::array<double, 2> sd{};  // [no context, context]: fitted on all examples
  // Per regime, measured on held-out folds (each fold's term fitted on the other folds):
  // share of examples whose interval reaches their label's side of 0.5, and mean width.
  std::array<double, 2> coverage_before{}, coverage_after{}, width_before{}, width_after{};
  std::array<size_t, 2> examples{};
};

// cal: the example's calibration map; logit, spread: out-of-fold per example; grounded: the
// example had a context; fold: its fold.
GroundingFit fit_grounding(const std::vector<const Calibrator*>& cal, const std::vector<double>& logit,
                           const std::vector<double>& spread, const std::vector<int>& label,
                           const std::vector<uint8_t>& grounded, const std::vector<int>& fold, int folds);

}  // namespace flk::hrs
