#include "anomaly/feature_scaler.h"

#include <cmath>

#include "math/dmath.h"

namespace flk::anomaly {

FeatureScaler fit_scaler(const RowMatrix& x, Eigen::Index begin, Eigen::Index end, double clip) {
  const Eigen::Index d = x.cols();
  FeatureScaler s;
  s.clip = clip;
  s.mean.assign(d, 0.0);
  s.scale.assign(d, 1.0);
  for (Eigen::Index j = 0; j < d; ++j) {
    double sum = 0;
    size_t n = 0;
    for (Eigen::Index i = begin; i < end; ++i)
      if (!std::isnan(x(i, j))) {
        sum += x(i, j);
        ++n;
      }
    if (n == 0) continue;
    const double mean = sum / static_cast<double>(n);
    double ss = 0;
    for (Eigen::Index i = begin; i < end; ++i)
      if (!std::isnan(x(i, j))) {
        double e = x(i, j) - mean;
        ss += e * e;
      }
    const double sd = dm::sqrt(ss / static_cast<double>(n));
    const double mag = std::fabs(mean) > 1.0 ? std::fabs(mean) : 1.0;
    s.mean[j] = mean;
    s.scale[j] = sd > 1e-9 * mag ? sd : mag;
  }
  return s;
}

void scale_row(const FeatureScaler& s, const double* in, double* out) {
  const size_t d = s.mean.size();
  for (size_t j = 0; j < d; ++j) {
    double z = std::isnan(in[j]) ? 0.0 : (in[j] - s.mean[j]) / s.scale[j];
    const double lim = s.clip > 0 ? s.clip : kMaxZ;
    z = z > lim ? lim : (z < -lim ? -lim : z);
    out[j] = z;
  }
}

}  // namespace flk::anomaly
