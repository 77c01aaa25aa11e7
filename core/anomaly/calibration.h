// From a detector's raw score (reconstruction error, isolation odds, |z|) to a score in [0, 1)
// that every detector shares: s = r / (r + q), where q is a high quantile of the raw scores of
// held-out training rows. s >= 0.5 exactly when r >= q, and s = 0.9 when r = 9 q, so the
// spec's thresholds (0.5 guardrail, 0.9 block) mean "beyond the training quantile" and "nine
// times beyond it" for every detector.
#pragma once
#include <vector>

namespace flk::anomaly {

// Linear-interpolation quantile (numpy's default) of the finite values; 0 when there are none.
double quantile(std::vector<double> values, double p);

double calibrate(double raw, double q);

}  // namespace flk::anomaly
