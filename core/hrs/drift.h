// Drift of feature distributions against the training baseline that a model carries:
// Kolmogorov-Smirnov (statistic and asymptotic p-value) and the population stability index
// (PSI) over the training deciles, with fixed thresholds (docs/hrs.md, "Drift").
#pragma once
#include <string>
#include <vector>

namespace flk::hrs {

struct FeatureBaseline {
  std::vector<double> quantiles;  // 101 values: the 0th, 1st, ..., 100th percentile
  std::vector<double> edges;      // PSI bin edges (distinct training deciles); bin k = #edges <= x
  std::vector<double> expected;   // share of training values per PSI bin (edges.size() + 1)
  double n = 0;                   // training examples
};

FeatureBaseline make_baseline(std::vector<double> values);

constexpr double kKsAlpha = 0.01;        // drift when the KS p-value is below this
constexpr double kPsiModerate = 0.10;
constexpr double kPsiMajor = 0.25;       // drift when PSI reaches this
constexpr double kAucDropAlert = 0.05;   // alert when AUROC falls by more than this

struct DriftStat {
  double ks = 0, ks_p = 1, psi = 0;
  const char* level = "none";  // "none", "moderate", "major" (PSI) — drift = major or ks_p < alpha
  bool drift = false;
};

DriftStat drift_stat(const FeatureBaseline& b, std::vector<double> sample);

// Asymptotic Kolmogorov distribution tail P(K > lambda).
double kolmogorov_tail(double lambda);

}  // namespace flk::hrs
