// Choosing a decision threshold from labelled feedback: every distinct score is a candidate
// ("anomalous when score >= t"); the sweep keeps the candidates with FPR <= max_fpr and
// TPR >= min_tpr and picks the one with the largest TPR - FPR (ties: the higher threshold,
// which raises fewer alerts). When nothing qualifies the old threshold stays and the result
// says why.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace flk::anomaly {

struct SweepConfig {
  double max_fpr = 0.02;
  double min_tpr = 0.95;
  size_t min_items = 100;
};

struct SweepResult {
  bool changed = false;
  double threshold = 0;  // the new threshold, or the old one when unchanged
  // "optimised", "no_threshold_meets_constraints", "too_few_items", "single_class"
  std::string reason;
  std::string message;
  size_t positives = 0, negatives = 0;
  // The best candidate found (constrained when changed, unconstrained otherwise); valid when
  // has_best.
  bool has_best = false;
  double best_threshold = 0, best_tpr = 0, best_fpr = 0;
};

SweepResult sweep_threshold(const std::vector<double>& scores, const std::vector<bool>& anomalous, double current,
                            const SweepConfig& cfg);

}  // namespace flk::anomaly
