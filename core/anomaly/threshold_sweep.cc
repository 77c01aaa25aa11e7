#include "anomaly/threshold_sweep.h"

#include <algorithm>
#include <numeric>

#include "json/number_format.h"

namespace flk::anomaly {
namespace {

std::string num(double x) { return json::format_double(x); }

}  // namespace

SweepResult sweep_threshold(const std::vector<double>& scores, const std::vector<bool>& anomalous, double current,
                            const SweepConfig& cfg) {
  SweepResult r;
  r.threshold = current;
  const size_t n = scores.size();
  for (bool a : anomalous) (a ? r.positives : r.negatives) += 1;
  if (n < cfg.min_items) {
    r.reason = "too_few_items";
    r.message = "kept threshold " + num(current) + ": " + std::to_string(n) + " labelled items, the sweep needs " +
                std::to_string(cfg.min_items);
    return r;
  }
  if (r.positives == 0 || r.negatives == 0) {
    r.reason = "single_class";
    r.message = "kept threshold " + num(current) + ": the feedback has no " +
                (r.positives == 0 ? "anomalous" : "normal") + " items, so TPR or FPR is undefined";
    return r;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  const double P = static_cast<double>(r.positives), N = static_cast<double>(r.negatives);
  size_t tp = 0, fp = 0;
  bool have_ok = false, have_any = false;
  double ok_t = 0, ok_tpr = 0, ok_fpr = 0, any_t = 0, any_tpr = 0, any_fpr = 0;
  for (size_t i = 0; i < n;) {
    const double t = scores[order[i]];
    for (; i < n && scores[order[i]] == t; ++i) (anomalous[order[i]] ? tp : fp) += 1;
    const double tpr = static_cast<double>(tp) / P, fpr = static_cast<double>(fp) / N;
    // Strictly greater keeps the higher threshold on ties (thresholds come in descending order).
    if (!have_any || tpr - fpr > any_tpr - any_fpr) {
      have_any = true;
      any_t = t, any_tpr = tpr, any_fpr = fpr;
    }
    if (fpr <= cfg.max_fpr && tpr >= cfg.min_tpr && (!have_ok || tpr - fpr > ok_tpr - ok_fpr)) {
      have_ok = true;
      ok_t = t, ok_tpr = tpr, ok_fpr = fpr;
    }
  }
  r.has_best = true;
  if (have_ok) {
    r.changed = ok_t != current;
    r.threshold = ok_t;
    r.best_threshold = ok_t, r.best_tpr = ok_tpr, r.best_fpr = ok_fpr;
    r.reason = "optimised";
    r.message = "threshold " + num(ok_t) + ": TPR " + num(ok_tpr) + ", FPR " + num(ok_fpr) +
                " (largest TPR - FPR with FPR <= " + num(cfg.max_fpr) + " and TPR >= " + num(cfg.min_tpr) + ")";
    return r;
  }
  r.best_threshold = any_t, r.best_tpr = any_tpr, r.best_fpr = any_fpr;
  r.reason = "no_threshold_meets_constraints";
  r.message = "kept threshold " + num(current) + ": no threshold has FPR <= " + num(cfg.max_fpr) + " and TPR >= " +
              num(cfg.min_tpr) + "; the best unconstrained one is " + num(any_t) + " with TPR " + num(any_tpr) +
              ", FPR " + num(any_fpr);
  return r;
}

}  // namespace flk::anomaly
