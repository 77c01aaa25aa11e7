// Canary statistics (docs/policy.md, "Canary"): each metric of a canary cohort against a baseline
// cohort measured over the same period, by a one-sided Mann-Whitney U test and a relative effect
// size with a tolerance, as Kayenta judges; the step function of a rollout; cohort assignment by
// consistent hash. Pure functions over explicit inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace flk::policy::canary {

enum class Verdict { kPass, kFail, kInconclusive };
const char* verdict_name(Verdict v);

struct MetricSpec {
  std::string name;
  bool lower_is_better = true;
  double tolerance = 0.1;
};

struct GateConfig {
  double alpha = 0.05;
  size_t min_samples = 50;
  size_t max_samples = 5000;
};

struct MetricResult {
  std::string name;
  size_t n_baseline = 0, n_canary = 0;
  double mean_baseline = 0, mean_canary = 0;
  double u = 0;        // U of the canary cohort
  double z = 0;        // toward "canary worse", continuity-corrected
  double p_worse = 1;  // one-sided p-value that the canary is worse
  double effect = 0;   // relative change of the mean toward worse (positive = worse)
  Verdict verdict = Verdict::kInconclusive;
  std::string reason;  // too_few_samples, worse, interim_not_significant, within_tolerance, not_significant
};

// Before max_samples a metric fails only on strong evidence (p < alpha / 10: the interim bound
// that makes early stopping safe) and passes only when its observed effect is within tolerance.
MetricResult compare(const MetricSpec& spec, const std::vector<double>& baseline, const std::vector<double>& canary,
                     const GateConfig& cfg);

// Fail if any metric fails, else inconclusive if any is, else pass.
Verdict overall(const std::vector<MetricResult>& metrics);

enum class Status { kRunning, kPromoted, kRolledBack };
const char* status_name(Status s);

struct RolloutState {
  size_t step = 0;  // index into the steps
  int failed_gates = 0;
  Status status = Status::kRunning;
};

// pass: the next step (after the last: promoted); inconclusive: hold; fail: count it, and at
// max_failed_gates roll back. steps: increasing percentages ending at 100.
RolloutState step(const RolloutState& s, Verdict gate, size_t n_steps, int max_failed_gates);

// 0..9999 from the rollout id and the request key; in the canary when below percent * 100, so a
// request in the canary at one step stays in it at every larger step.
uint32_t bucket(const std::string& rollout, const std::string& key);

}  // namespace flk::policy::canary
