// Per-feature standardisation learned at training time: z = (x - mean) / scale, optionally
// clipped to [-clip, clip] so that one runaway feature cannot drown all the others, and always
// kept within +-kMaxZ so that squares and network activations stay finite.
#pragma once
#include <vector>

#include "anomaly/dense_net.h"

namespace flk::anomaly {

constexpr double kMaxZ = 1e6;

struct FeatureScaler {
  std::vector<double> mean;
  std::vector<double> scale;  // > 0
  double clip = 0;            // 0: no clipping
};

// Mean and population standard deviation per column over the rows [begin, end) of x, skipping
// NaN entries (a column with no finite value gets mean 0). A column whose spread is below
// 1e-9 * max(1, |mean|) (constant in training) gets scale max(1, |mean|), so a later change is
// measured in its own units instead of dividing by zero.
FeatureScaler fit_scaler(const RowMatrix& x, Eigen::Index begin, Eigen::Index end, double clip);

// Standardises one row; a NaN input maps to 0 (the training mean).
void scale_row(const FeatureScaler& s, const double* in, double* out);

}  // namespace flk::anomaly
