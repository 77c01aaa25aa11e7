// Fitting the calibration on out-of-fold logits, cross-fitted: each fold's rows are calibrated by
// maps fitted on the other folds' examples, so the reported metrics are out-of-fold. Platt and
// isotonic are compared by Brier score and the better one is refitted on every example. Then,
// per regime of the request (lexical_regime) whose examples have at least kRegimeFloor of each
// label in every fold's fitting part, the same choice on that regime's examples alone; the
// regime keeps its own map where its cross-fitted Brier score beats the global map's on it and
// no more of its form probes' rewrites cross 0.5 the wrong way than with the global map (a map
// fitted where form and label go together can turn a small form effect on the logit into a
// flipped answer), and its map does not decrease (a negative Platt slope would swap the
// interval's ends).
#pragma once
#include <string>
#include <vector>

#include "hrs/calibration.h"

namespace flk::hrs {

constexpr size_t kRegimeFloor = 50;

struct CalibrationChoice {
  std::string chosen;
  double brier_platt = 0, brier_isotonic = 0, ece_platt = 0, ece_isotonic = 0;
};

// One regime with enough examples: the global map's and its own (chosen) map's cross-fitted
// Brier score and ECE on the regime's examples, the share of its probe rewrites on the wrong
// side of 0.5 (as probe_metrics counts them) with each, and whether it kept its own.
struct RegimeCalibrationFit {
  uint32_t regime = 0;
  size_t examples = 0, positives = 0, rewrites = 0;
  CalibrationChoice choice;
  double brier_global = 0, ece_global = 0, brier_regime = 0, ece_regime = 0;
  double wrong_side_global = 0, wrong_side_regime = 0;
  bool kept = false;
};

struct CalibrationFit {
  Calibrator global;
  std::vector<RegimeCalibrator> by_regime;
  CalibrationChoice choice;
  std::vector<RegimeCalibrationFit> regimes;
  // Per row: cross-fitted probability with the global map only, and with the regimes' maps.
  std::vector<double> prob_global, prob;
};

// Per row: out-of-fold logit, label, fold and regime; `fit`: the row is an example the maps
// learn from; `scored`: the row gets probabilities (others stay 0). A row scored but not fitted
// is a probe's rewrite of example origin[row] (with its label).
CalibrationFit fit_calibration(const std::vector<double>& logit, const std::vector<int>& label,
                               const std::vector<int>& fold, const std::vector<uint32_t>& regime,
                               const std::vector<uint8_t>& fit, const std::vector<uint8_t>& scored,
                               const std::vector<uint32_t>& origin, int folds);

}  // namespace flk::hrs
