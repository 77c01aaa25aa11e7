#include "hrs/metrics.h"

#include <algorithm>
#include <cmath>

#include "util/stable_order.h"

namespace flk::hrs {
namespace {

// Indices sorted by descending score (stable, so equal scores keep input order).
std::vector<size_t> by_score_desc(const std::vector<double>& s) {
  return stable_order(
      s.size(),
      [](const void* c, size_t a, size_t b) {
        const auto& v = *static_cast<const std::vector<double>*>(c);
        return v[a] > v[b];
      },
      &s);
}

// Cumulative (false positives, true positives) after each group of tied scores.
struct Step {
  double fp, tp, threshold;
};
std::vector<Step> steps(const std::vector<double>& s, const std::vector<int>& y) {
  std::vector<size_t> idx = by_score_desc(s);
  std::vector<Step> out;
  double fp = 0, tp = 0;
  for (size_t i = 0; i < idx.size(); ++i) {
    if (y[idx[i]]) ++tp; else ++fp;
    if (i + 1 == idx.size() || s[idx[i + 1]] != s[idx[i]]) out.push_back({fp, tp, s[idx[i]]});
  }
  return out;
}

std::vector<CurvePoint> thin(std::vector<CurvePoint> pts, size_t max_points) {
  if (pts.size() <= max_points || max_points < 2) return pts;
  std::vector<CurvePoint> out;
  for (size_t k = 0; k < max_points; ++k) out.push_back(pts[k * (pts.size() - 1) / (max_points - 1)]);
  return out;
}

}  // namespace

double auroc(const std::vector<double>& s, const std::vector<int>& y) {
  double pos = 0, neg = 0;
  for (int v : y) (v ? pos : neg) += 1;
  if (pos == 0 || neg == 0) return 0.5;
  double area = 0, fp = 0, tp = 0;
  for (const Step& st : steps(s, y)) {
    area += (st.fp - fp) * (st.tp + tp) / 2;  // trapezoid: ties count one half
    fp = st.fp;
    tp = st.tp;
  }
  return area / (pos * neg);
}

double auprc(const std::vector<double>& s, const std::vector<int>& y) {
  double pos = 0;
  for (int v : y) pos += v != 0;
  if (pos == 0) return 0;
  double ap = 0, tp_prev = 0;
  for (const Step& st : steps(s, y)) {
    ap += (st.tp - tp_prev) / pos * (st.tp / (st.tp + st.fp));
    tp_prev = st.tp;
  }
  return ap;
}

double ece(const std::vector<double>& p, const std::vector<int>& y, int bins) {
  if (p.empty()) return 0;
  std::vector<double> sp(bins, 0), sy(bins, 0), n(bins, 0);
  for (size_t i = 0; i < p.size(); ++i) {
    int b = static_cast<int>(p[i] * bins);
    b = b < 0 ? 0 : (b >= bins ? bins - 1 : b);
    sp[b] += p[i];
    sy[b] += y[i];
    n[b] += 1;
  }
  double e = 0;
  for (int b = 0; b < bins; ++b)
    if (n[b] > 0) e += n[b] / p.size() * std::abs(sp[b] / n[b] - sy[b] / n[b]);
  return e;
}

double brier(const std::vector<double>& p, const std::vector<int>& y) {
  if (p.empty()) return 0;
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i) s += (p[i] - y[i]) * (p[i] - y[i]);
  return s / p.size();
}

std::vector<CurvePoint> roc_points(const std::vector<double>& s, const std::vector<int>& y, size_t max_points) {
  double pos = 0, neg = 0;
  for (int v : y) (v ? pos : neg) += 1;
  std::vector<CurvePoint> pts{{0, 0, s.empty() ? 1.0 : *std::max_element(s.begin(), s.end())}};
  for (const Step& st : steps(s, y)) pts.push_back({neg ? st.fp / neg : 0, pos ? st.tp / pos : 0, st.threshold});
  return thin(std::move(pts), max_points);
}

std::vector<CurvePoint> pr_points(const std::vector<double>& s, const std::vector<int>& y, size_t max_points) {
  double pos = 0;
  for (int v : y) pos += v != 0;
  std::vector<CurvePoint> pts;
  for (const Step& st : steps(s, y)) pts.push_back({pos ? st.tp / pos : 0, st.tp / (st.tp + st.fp), st.threshold});
  return thin(std::move(pts), max_points);
}

}  // namespace flk::hrs
