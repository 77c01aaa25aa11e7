// Magnitude bounds on the real numbers of a model read by the facade (anomaly and HRS models,
// whoever wrote them): a model within them scores any accepted input without overflowing the
// sums of its layers, trees and calibration. docs/limits.md lists them.
#pragma once
#include "json/fields.h"

namespace flk::model_bounds {

// Weights, biases, leaf values and calibration slopes: what a fit produces stays far below.
constexpr double kMaxWeight = 1e6;
// Values in the data's own units (fills, means, split thresholds, quantiles): the bound of an
// input value.
constexpr double kMaxValue = 1e100;

const json::Range kWeight{-kMaxWeight, kMaxWeight};
const json::Range kValue{-kMaxValue, kMaxValue};
// Divisors (scales, a calibration quantile): positive and normal-sized.
const json::Range kDivisor{1e-100, kMaxValue};

}  // namespace flk::model_bounds
