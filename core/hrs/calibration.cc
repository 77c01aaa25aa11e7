#include "hrs/calibration.h"

#include <algorithm>
#include <numeric>

#include "math/dmath.h"

namespace flk::hrs {

const char* method_name(Calibrator::Method m) { return m == Calibrator::Method::Platt ? "platt" : "isotonic"; }

double calibrate(const Calibrator& c, double z) {
  if (c.method == Calibrator::Method::Platt) return dm::sigmoid(c.a * z + c.b);
  const auto& x = c.x;
  if (z <= x.front()) return c.y.front();
  if (z >= x.back()) return c.y.back();
  size_t k = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), z) - x.begin());  // x[k-1] <= z < x[k]
  double t = (z - x[k - 1]) / (x[k] - x[k - 1]);
  return c.y[k - 1] + t * (c.y[k] - c.y[k - 1]);
}

bool non_decreasing(const Calibrator& c) { return c.method == Calibrator::Method::Isotonic || c.a >= 0; }

const Calibrator& calibrator_for(const Calibrator& global, const std::vector<RegimeCalibrator>& by_regime,
                                 uint32_t regime) {
  for (const RegimeCalibrator& r : by_regime)
    if (r.regime == regime) return r.map;
  return global;
}

Calibrator fit_platt(const std::vector<double>& z, const std::vector<int>& y) {
  // Newton's method on the two parameters, with Platt's smoothed targets so that a separable
  // fold cannot drive the slope to infinity.
  double pos = 0;
  for (int v : y) pos += v != 0;
  const double neg = y.size() - pos;
  const double t1 = (pos + 1) / (pos + 2), t0 = 1 / (neg + 2);
  double a = 1, b = 0;
  auto loss = [&](double aa, double bb) {
    double f = 0;
    for (size_t i = 0; i < z.size(); ++i) {
      double s = aa * z[i] + bb, t = y[i] ? t1 : t0;
      f += dm::log1p_exp(s) - t * s;
    }
    return f;
  };
  double f = loss(a, b);
  for (int it = 0; it < 100; ++it) {
    double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
    for (size_t i = 0; i < z.size(); ++i) {
      double p = dm::sigmoid(a * z[i] + b), t = y[i] ? t1 : t0, q = p * (1 - p);
      ga += (p - t) * z[i];
      gb += p - t;
      haa += q * z[i] * z[i];
      hab += q * z[i];
      hbb += q;
    }
    double det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    double step = 1, fn = f;
    for (int ls = 0; ls < 30; ++ls, step *= 0.5) {
      fn = loss(a - step * da, b - step * db);
      if (fn <= f) break;
    }
    if (!(fn <= f)) break;
    a -= step * da;
    b -= step * db;
    bool done = f - fn < 1e-12 * (1 + f);
    f = fn;
    if (done) break;
  }
  Calibrator c;
  c.method = Calibrator::Method::Platt;
  c.a = a;
  c.b = b;
  return c;
}

Calibrator fit_isotonic(const std::vector<double>& z, const std::vector<int>& y) {
  std::vector<size_t> idx(z.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return z[a] < z[b]; });
  struct Block {
    double sum_z, sum_y, n;
  };
  std::vector<Block> blocks;
  for (size_t k = 0; k < idx.size(); ++k) {
    // Equal logits always share a block, so the fit is a function of z.
    if (!blocks.empty() && k > 0 && z[idx[k]] == z[idx[k - 1]]) {
      blocks.back().sum_z += z[idx[k]];
      blocks.back().sum_y += y[idx[k]];
      blocks.back().n += 1;
    } else {
      blocks.push_back({z[idx[k]], static_cast<double>(y[idx[k]]), 1});
    }
    while (blocks.size() > 1) {
      Block& r = blocks.back();
      Block& l = blocks[blocks.size() - 2];
      if (l.sum_y / l.n < r.sum_y / r.n) break;
      l.sum_z += r.sum_z;
      l.sum_y += r.sum_y;
      l.n += r.n;
      blocks.pop_back();
    }
  }
  Calibrator c;
  c.method = Calibrator::Method::Isotonic;
  // Knots are clipped to [0.001, 0.999]: an empty tail in the held-out data is no proof of certainty.
  for (const Block& b : blocks) {
    double p = b.sum_y / b.n;
    c.x.push_back(b.sum_z / b.n);
    c.y.push_back(p < 0.001 ? 0.001 : (p > 0.999 ? 0.999 : p));
  }
  return c;
}

}  // namespace flk::hrs
