#include "policy/canary.h"

#include <algorithm>
#include <cmath>

#include "crypto/hash.h"
#include "math/dmath.h"

namespace flk::policy::canary {
namespace {

// Complementary error function by a Chebyshev fit (fractional error below 1.2e-7), from +, *
// and dm::exp only, so every build gives the same bits.
double erfc(double x) {
  double z = std::fabs(x);
  double t = 1 / (1 + 0.5 * z);
  double poly = -z * z - 1.26551223 +
                t * (1.00002368 +
                     t * (0.37409196 +
                          t * (0.09678418 +
                               t * (-0.18628806 +
                                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  double r = t * dm::exp(poly);
  return x >= 0 ? r : 2 - r;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

// U of the canary, and the tie term sum(t^3 - t) over groups of equal values.
void mann_whitney(const std::vector<double>& b, const std::vector<double>& c, double& u, double& ties) {
  std::vector<std::pair<double, int>> all;
  all.reserve(b.size() + c.size());
  for (double x : b) all.push_back({x, 0});
  for (double x : c) all.push_back({x, 1});
  std::sort(all.begin(), all.end());
  double rank_sum = 0;
  ties = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    double avg = (double(i + 1) + double(j)) / 2;  // ranks i+1 .. j
    for (size_t k = i; k < j; ++k)
      if (all[k].second) rank_sum += avg;
    double t = double(j - i);
    ties += t * t * t - t;
    i = j;
  }
  double nc = double(c.size());
  u = rank_sum - nc * (nc + 1) / 2;
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kFail: return "fail";
    case Verdict::kInconclusive: return "inconclusive";
  }
  return "?";
}

const char* status_name(Status s) {
  switch (s) {
    case Status::kRunning: return "running";
    case Status::kPromoted: return "promoted";
    case Status::kRolledBack: return "rolled_back";
  }
  return "?";
}

MetricResult compare(const MetricSpec& spec, const std::vector<double>& baseline, const std::vector<double>& canary,
                     const GateConfig& cfg) {
  MetricResult r;
  r.name = spec.name;
  r.n_baseline = baseline.size();
  r.n_canary = canary.size();
  r.mean_baseline = mean(baseline);
  r.mean_canary = mean(canary);
  if (r.n_baseline < cfg.min_samples || r.n_canary < cfg.min_samples) {
    r.reason = "too_few_samples";
    return r;
  }
  double diff = r.mean_canary - r.mean_baseline;
  if (!spec.lower_is_better) diff = -diff;
  // Relative to the baseline's mean; a baseline mean of 0 (no errors, say) compares absolutely.
  r.effect = r.mean_baseline != 0 ? diff / std::fabs(r.mean_baseline) : diff;
  double ties = 0;
  mann_whitney(baseline, canary, r.u, ties);
  double nb = double(r.n_baseline), nc = double(r.n_canary), n = nb + nc;
  double mu = nb * nc / 2;
  double var = nb * nc / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (var > 0) {
    double toward_worse = spec.lower_is_better ? r.u - mu : mu - r.u;
    r.z = (toward_worse - 0.5) / dm::sqrt(var);
    r.p_worse = 0.5 * erfc(r.z / dm::sqrt(2.0));
  }
  bool final_look = r.n_baseline >= cfg.max_samples && r.n_canary >= cfg.max_samples;
  double bound = final_look ? cfg.alpha : cfg.alpha / 10;
  if (r.effect > spec.tolerance && r.p_worse < bound) {
    r.verdict = Verdict::kFail;
    r.reason = "worse";
  } else if (r.effect <= spec.tolerance) {
    r.verdict = Verdict::kPass;
    r.reason = "within_tolerance";
  } else if (final_look) {
    r.verdict = Verdict::kPass;
    r.reason = "not_significant";
  } else {
    r.reason = "interim_not_significant";
  }
  return r;
}

Verdict overall(const std::vector<MetricResult>& metrics) {
  bool inconclusive = false;
  for (const MetricResult& m : metrics) {
    if (m.verdict == Verdict::kFail) return Verdict::kFail;
    inconclusive = inconclusive || m.verdict == Verdict::kInconclusive;
  }
  return inconclusive ? Verdict::kInconclusive : Verdict::kPass;
}

RolloutState step(const RolloutState& s, Verdict gate, size_t n_steps, int max_failed_gates) {
  RolloutState out = s;
  if (s.status != Status::kRunning) return out;
  if (gate == Verdict::kPass) {
    if (s.step + 1 >= n_steps) out.status = Status::kPromoted;
    else out.step = s.step + 1;
  } else if (gate == Verdict::kFail) {
    out.failed_gates = s.failed_gates + 1;
    if (out.failed_gates >= max_failed_gates) out.status = Status::kRolledBack;
  }
  return out;
}

uint32_t bucket(const std::string& rollout, const std::string& key) {
  crypto::Digest d = crypto::sha256("flk-canary-cohort-v1\n" + rollout + "\n" + key);
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | d[size_t(i)];
  return uint32_t(x % 10000);
}

}  // namespace flk::policy::canary
