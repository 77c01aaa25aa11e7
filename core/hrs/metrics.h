// Ranking and calibration metrics for binary labels (1 = hallucinated).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flk::hrs {

// Area under the ROC curve; tied scores count one half. NaN-free: 0.5 when a class is absent.
double auroc(const std::vector<double>& score, const std::vector<int>& label);
// Average precision (area under the precision-recall step curve, ties as one step).
double auprc(const std::vector<double>& score, const std::vector<int>& label);
// Expected calibration error over `bins` equal-width probability bins (|mean p - rate| weighted
// by the bin's share of examples).
double ece(const std::vector<double>& prob, const std::vector<int>& label, int bins = 10);
double brier(const std::vector<double>& prob, const std::vector<int>& label);

struct CurvePoint {
  double x, y, threshold;
};
// ROC (x = false positive rate, y = true positive rate) and PR (x = recall, y = precision)
// points at every distinct threshold, thinned to at most max_points (ends kept).
std::vector<CurvePoint> roc_points(const std::vector<double>& score, const std::vector<int>& label,
                                   size_t max_points = 101);
std::vector<CurvePoint> pr_points(const std::vector<double>& score, const std::vector<int>& label,
                                  size_t max_points = 101);

}  // namespace flk::hrs
