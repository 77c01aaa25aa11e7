#include "hrs/drift.h"

#include <algorithm>
#include <cmath>

#include "math/dmath.h"

namespace flk::hrs {
namespace {

// Training CDF at v (left limit when `left`), from the stored percentiles: a step function
// within 1 % of the truth, exact in shape for discrete features.
double baseline_cdf(const std::vector<double>& q, double v, bool left) {
  auto it = left ? std::lower_bound(q.begin(), q.end(), v) : std::upper_bound(q.begin(), q.end(), v);
  size_t k = static_cast<size_t>(it - q.begin());
  if (k == 0) return 0;
  return static_cast<double>(k - 1) / (q.size() - 1);
}

size_t psi_bin(const std::vector<double>& edges, double v) {
  return static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
}

}  // namespace

FeatureBaseline make_baseline(std::vector<double> v) {
  FeatureBaseline b;
  std::sort(v.begin(), v.end());
  b.n = static_cast<double>(v.size());
  if (v.empty()) return b;
  for (int k = 0; k <= 100; ++k) b.quantiles.push_back(v[(v.size() - 1) * k / 100]);
  for (int k = 1; k < 10; ++k) {
    double e = b.quantiles[k * 10];
    if (e > v.front() && (b.edges.empty() || e > b.edges.back())) b.edges.push_back(e);
  }
  b.expected.assign(b.edges.size() + 1, 0);
  for (double x : v) b.expected[psi_bin(b.edges, x)] += 1;
  for (double& e : b.expected) e /= b.n;
  return b;
}

double kolmogorov_tail(double lambda) {
  if (lambda < 0.2) return 1;
  double s = 0;
  for (int k = 1; k <= 100; ++k) {
    double term = dm::exp(-2.0 * k * k * lambda * lambda);
    s += (k % 2 ? term : -term);
    if (term < 1e-16) break;
  }
  s *= 2;
  return s < 0 ? 0 : (s > 1 ? 1 : s);
}

DriftStat drift_stat(const FeatureBaseline& b, std::vector<double> x) {
  DriftStat d;
  if (x.empty() || b.quantiles.empty()) return d;
  std::sort(x.begin(), x.end());
  const double m = static_cast<double>(x.size());
  // sup |F_sample - F_train| is reached at a sample value or just left of one.
  for (size_t i = 0; i < x.size();) {
    size_t j = i;
    while (j < x.size() && x[j] == x[i]) ++j;
    double at = std::abs(j / m - baseline_cdf(b.quantiles, x[i], false));
    double before = std::abs(i / m - baseline_cdf(b.quantiles, x[i], true));
    d.ks = std::max(d.ks, std::max(at, before));
    i = j;
  }
  double ne = m * b.n / (m + b.n), sq = dm::sqrt(ne);
  d.ks_p = kolmogorov_tail((sq + 0.12 + 0.11 / sq) * d.ks);
  std::vector<double> actual(b.expected.size(), 0);
  for (double v : x) actual[psi_bin(b.edges, v)] += 1;
  for (size_t k = 0; k < actual.size(); ++k) {
    double a = std::max(actual[k] / m, 1e-4), e = std::max(b.expected[k], 1e-4);
    d.psi += (a - e) * dm::log(a / e);
  }
  d.level = d.psi >= kPsiMajor ? "major" : (d.psi >= kPsiModerate ? "moderate" : "none");
  d.drift = d.psi >= kPsiMajor || d.ks_p < kKsAlpha;
  return d;
}

}  // namespace flk::hrs
