#include "anomaly/window_features.h"

#include <cmath>
#include <limits>

#include "math/dmath.h"

namespace flk::anomaly {

constexpr double kMaxRate = 1e150;

int features_per_column(const WindowSpec& s) {
  return (s.values ? 1 : 0) + (s.window > 0 ? 2 : 0) + (s.deltas ? 1 : 0) + (s.rates ? 1 : 0);
}

std::vector<std::string> feature_names(const WindowSpec& s, const std::vector<std::string>& columns) {
  std::vector<std::string> names;
  for (const std::string& c : columns) {
    if (s.values) names.push_back(c);
    if (s.window > 0) {
      names.push_back(c + ".dev");
      names.push_back(c + ".std");
    }
    if (s.deltas) names.push_back(c + ".delta");
    if (s.rates) names.push_back(c + ".rate");
  }
  return names;
}

WindowState make_window_state(const WindowSpec& s, int cols) {
  WindowState st;
  st.cols = cols;
  st.ring.assign(static_cast<size_t>(s.window) * cols, 0.0);
  st.last.assign(cols, std::numeric_limits<double>::quiet_NaN());
  return st;
}

int push_row(const WindowSpec& s, const std::vector<double>& fill, WindowState& st, const double* raw, double time,
             double* out) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int cols = st.cols, per = features_per_column(s);
  const int64_t k = s.window > 0 ? (st.seen < s.window ? st.seen : s.window) : 0;
  const int64_t oldest = st.seen - k;
  double step = nan;
  if (!std::isnan(time)) {
    if (st.has_time) {
      double dt = time - st.last_time;
      if (dt > 0) st.last_step = dt;
      step = dt > 0 ? dt : (st.last_step > 0 ? st.last_step : nan);
    }
    st.last_time = time;
    st.has_time = true;
  }
  int filled = 0;
  for (int j = 0; j < cols; ++j) {
    double x = raw[j];
    if (std::isnan(x)) {
      x = std::isnan(st.last[j]) ? fill[j] : st.last[j];
      ++filled;
    }
    double* f = out + static_cast<size_t>(j) * per;
    int p = 0;
    if (s.values) f[p++] = x;
    if (s.window > 0) {
      double mean = nan, sd = nan;
      if (k >= 1) {
        double sum = 0;
        for (int64_t r = oldest; r < st.seen; ++r) sum += st.ring[static_cast<size_t>(r % s.window) * cols + j];
        mean = sum / static_cast<double>(k);
      }
      if (k >= 2) {
        double ss = 0;
        for (int64_t r = oldest; r < st.seen; ++r) {
          double e = st.ring[static_cast<size_t>(r % s.window) * cols + j] - mean;
          ss += e * e;
        }
        sd = dm::sqrt(ss / static_cast<double>(k));
      }
      f[p++] = x - mean;
      f[p++] = sd;
    }
    const double delta = x - st.last[j];
    if (s.deltas) f[p++] = delta;
    if (s.rates) {
      // A vanishing step makes the rate unknown rather than astronomically large.
      const double rate = delta / step;
      f[p++] = std::fabs(rate) <= kMaxRate ? rate : nan;
    }
    st.last[j] = x;
  }
  if (s.window > 0) {
    double* slot = st.ring.data() + static_cast<size_t>(st.seen % s.window) * cols;
    for (int j = 0; j < cols; ++j) slot[j] = st.last[j];
  }
  ++st.seen;
  return filled;
}

}  // namespace flk::anomaly
