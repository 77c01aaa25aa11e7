#include "anomaly/calibration.h"

#include <algorithm>
#include <cmath>

namespace flk::anomaly {

double quantile(std::vector<double> values, double p) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
               values.end());
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double pos = p * static_cast<double>(values.size() - 1);
  const size_t k = static_cast<size_t>(pos);
  if (k + 1 >= values.size()) return values.back();
  const double frac = pos - static_cast<double>(k);
  return values[k] + frac * (values[k + 1] - values[k]);
}

double calibrate(double raw, double q) {
  if (!(raw > 0)) return 0;
  if (!std::isfinite(raw)) return 1;
  return raw / (raw + q);
}

}  // namespace flk::anomaly
