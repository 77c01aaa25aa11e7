// Maps a raw logit to a calibrated probability: Platt scaling (p = sigmoid(a z + b)) or
// isotonic regression (pool-adjacent-violators on held-out logits, interpolated linearly
// between the blocks' mean logits, flat beyond the ends). Both are monotone non-decreasing.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace flk::hrs {

struct Calibrator {
  enum class Method { Platt, Isotonic } method = Method::Platt;
  double a = 1, b = 0;          // Platt
  std::vector<double> x, y;     // isotonic knots: logits ascending, probabilities non-decreasing
};

const char* method_name(Calibrator::Method m);

double calibrate(const Calibrator& c, double logit);
// False for a Platt map with a negative slope; the interval's ends and half_logit need maps
// that never decrease.
bool non_decreasing(const Calibrator& c);

// The map of one regime of the request (lexical_regime); requests of a regime without one use
// the global map.
struct RegimeCalibrator {
  uint32_t regime = 0;
  Calibrator map;
};
const Calibrator& calibrator_for(const Calibrator& global, const std::vector<RegimeCalibrator>& by_regime,
                                 uint32_t regime);

Calibrator fit_platt(const std::vector<double>& logit, const std::vector<int>& y);
Calibrator fit_isotonic(const std::vector<double>& logit, const std::vector<int>& y);

}  // namespace flk::hrs
