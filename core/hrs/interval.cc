#include "hrs/interval.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "math/dmath.h"

namespace flk::hrs {
namespace {

constexpr double kCoverage = 0.95;

// The logit at which the calibrated probability reaches 0.5 (calibrators are non-decreasing).
double half_logit(const Calibrator& cal) {
  double lo = -50, hi = 50;
  for (int it = 0; it < 100; ++it) {
    double mid = (lo + hi) / 2;
    (calibrate(cal, mid) < 0.5 ? lo : hi) = mid;
  }
  return hi;
}

// The 95th percentile (nearest rank) of v; 0 for no values.
double upper_quantile(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(kCoverage * static_cast<double>(v.size())));
  return v[k > 0 ? k - 1 : 0];
}

}  // namespace

double interval_half_width(double spread, double grounding_sd) {
  return kIntervalZ * dm::sqrt(spread * spread + grounding_sd * grounding_sd);
}

GroundingFit fit_grounding(const std::vector<const Calibrator*>& cal, const std::vector<double>& logit,
                           const std::vector<double>& spread, const std::vector<int>& label,
                           const std::vector<uint8_t>& grounded, const std::vector<int>& fold, int folds) {
  const size_t n = logit.size();
  std::map<const Calibrator*, double> half;  // per map: the logit at 0.5
  for (const Calibrator* m : cal)
    if (!half.count(m)) half[m] = half_logit(*m);
  // Per example: the smallest grounding term whose interval reaches the label's side of 0.5.
  std::vector<double> need(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double c = half[cal[i]];
    double gap = label[i] ? c - logit[i] : logit[i] - c;
    if (gap <= 0) continue;
    double t = gap / kIntervalZ;
    need[i] = t > spread[i] ? dm::sqrt(t * t - spread[i] * spread[i]) : 0;
  }
  GroundingFit out;
  auto width = [&](size_t i, double g) {
    double h = interval_half_width(spread[i], g);
    return calibrate(*cal[i], logit[i] + h) - calibrate(*cal[i], logit[i] - h);
  };
  for (int r = 0; r < 2; ++r) {
    std::vector<double> all;
    for (size_t i = 0; i < n; ++i)
      if (grounded[i] == r) all.push_back(need[i]);
    out.sd[r] = upper_quantile(all);
    out.examples[r] = all.size();
    if (all.empty()) continue;
    for (int k = 0; k < folds; ++k) {
      std::vector<double> other;
      for (size_t i = 0; i < n; ++i)
        if (grounded[i] == r && fold[i] != k) other.push_back(need[i]);
      double g = upper_quantile(other);
      for (size_t i = 0; i < n; ++i) {
        if (grounded[i] != r || fold[i] != k) continue;
        out.coverage_before[r] += need[i] == 0;
        out.coverage_after[r] += need[i] <= g;
        out.width_before[r] += width(i, 0);
        out.width_after[r] += width(i, g);
      }
    }
    double m = static_cast<double>(all.size());
    out.coverage_before[r] /= m;
    out.coverage_after[r] /= m;
    out.width_before[r] /= m;
    out.width_after[r] /= m;
  }
  return out;
}

}  // namespace flk::hrs
