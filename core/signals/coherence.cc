#include "signals/coherence.h"

#include <algorithm>
#include <cmath>

#include "math/dmath.h"
#include "util/decimal_round.h"
#include "util/numpy_random.h"

namespace flk::signals {
namespace {

// numpy.histogram's bin of q over [lo, hi] with B equal bins: computed index, then corrected
// against the explicit edges e_i = i*step + lo (e_B = hi); the last bin is closed.
int bin_of(double q, double lo, double hi, int bins, double step) {
  double norm = static_cast<double>(bins) / (hi - lo);
  int k = static_cast<int>((q - lo) * norm);
  if (k == bins) k = bins - 1;
  auto edge = [&](int i) { return i == bins ? hi : static_cast<double>(i) * step + lo; };
  if (q < edge(k)) --k;
  else if (q >= edge(k + 1) && k != bins - 1) ++k;
  return k;
}

}  // namespace

Coherence coherence(const std::vector<std::vector<double>>& points, int64_t seed, int directions, int bins) {
  const size_t n = points.size();
  const size_t d = n ? points[0].size() : 0;
  Coherence out{0.0, std::vector<double>(d, 0.0)};
  if (n == 0) return out;
  out.v_star[0] = 1.0;
  NumpyRandom rng(static_cast<uint32_t>(seed));
  double best = 0.0;
  std::vector<double> v(d), q(n);
  std::vector<int64_t> hist(static_cast<size_t>(bins));
  for (int m = 0; m < directions; ++m) {
    for (size_t k = 0; k < d; ++k) v[k] = rng.gauss();
    double ss = 0;
    for (size_t k = 0; k < d; ++k) ss += v[k] * v[k];
    double norm = dm::sqrt(ss);
    for (size_t k = 0; k < d; ++k) v[k] /= norm;
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t k = 0; k < d; ++k) s += points[i][k] * v[k];
      q[i] = s;
    }
    double lo = *std::min_element(q.begin(), q.end());
    double hi = *std::max_element(q.begin(), q.end());
    double c;
    if (std::fabs(hi - lo) < 1e-9) {
      c = 1.0;
    } else {
      std::fill(hist.begin(), hist.end(), 0);
      double step = (hi - lo) / bins;
      for (double x : q) ++hist[static_cast<size_t>(bin_of(x, lo, hi, bins, step))];
      c = static_cast<double>(*std::max_element(hist.begin(), hist.end())) / static_cast<double>(n);
    }
    if (c > best) {
      best = c;
      out.v_star = v;
    }
  }
  out.coh_star = round_exact(best, 9);
  return out;
}

}  // namespace flk::signals
