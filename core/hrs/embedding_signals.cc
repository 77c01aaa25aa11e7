#include "hrs/embedding_signals.h"

#include <algorithm>
#include <cmath>

namespace flk::hrs {

std::vector<double> symmetric_eigenvalues(std::vector<double> a, int n) {
  auto at = [&](int i, int j) -> double& { return a[static_cast<size_t>(i) * n + j]; };
  double total = 0;
  for (double v : a) total += v * v;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) off += at(i, j) * at(i, j);
    if (off <= 1e-30 * total || off == 0) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        double apq = at(p, q);
        if (apq == 0) continue;
        // Rotation that zeroes a[p][q]: t = sign(theta) / (|theta| + sqrt(theta^2 + 1)).
        double theta = (at(q, q) - at(p, p)) / (2 * apq);
        double t = 1 / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        if (theta < 0) t = -t;
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {
          double akp = at(k, p), akq = at(k, q);
          at(k, p) = c * akp - s * akq;
          at(k, q) = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {
          double apk = at(p, k), aqk = at(q, k);
          at(p, k) = c * apk - s * aqk;
          at(q, k) = s * apk + c * aqk;
        }
      }
    }
  }
  std::vector<double> ev(n);
  for (int i = 0; i < n; ++i) ev[i] = at(i, i);
  // Largest first: the ascending sort that other units instantiate too, reversed (one sort in the wasm).
  std::sort(ev.begin(), ev.end());
  std::reverse(ev.begin(), ev.end());
  return ev;
}

EmbeddingSignals embedding_signals(const std::vector<std::vector<double>>& rows) {
  const int n = static_cast<int>(rows.size());
  const size_t d = rows[0].size();
  EmbeddingSignals out;
  std::vector<double> norm(n);
  for (int i = 0; i < n; ++i) {
    double s = 0;
    for (double v : rows[i]) s += v * v;
    norm[i] = std::sqrt(s);
  }
  if (n > 1) {
    double sum = 0;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) {
        double dot = 0;
        for (size_t k = 0; k < d; ++k) dot += rows[i][k] * rows[j][k];
        if (norm[i] > 0 && norm[j] > 0) sum += dot / (norm[i] * norm[j]);
      }
    double mean = sum / (static_cast<double>(n) * (n - 1) / 2);
    out.coh_star = mean < 0 ? 0 : (mean > 1 ? 1 : mean);
  }
  std::vector<double> mu(d, 0.0);
  for (const auto& r : rows)
    for (size_t k = 0; k < d; ++k) mu[k] += r[k];
  for (double& m : mu) m /= n;
  std::vector<double> gram(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      double dot = 0;
      for (size_t k = 0; k < d; ++k) dot += (rows[i][k] - mu[k]) * (rows[j][k] - mu[k]);
      gram[static_cast<size_t>(i) * n + j] = gram[static_cast<size_t>(j) * n + i] = dot;
    }
  std::vector<double> ev = symmetric_eigenvalues(std::move(gram), n);
  double total = 0;
  for (double v : ev) total += v > 0 ? v : 0;
  if (total > 0) {
    double acc = 0;
    for (int k = 0; k < n; ++k) {
      acc += ev[k] > 0 ? ev[k] : 0;
      if (acc >= 0.95 * total) {
        out.dhat = k + 1;
        break;
      }
    }
  }
  return out;
}

}  // namespace flk::hrs
