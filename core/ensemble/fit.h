// Fitting the ensemble's learned parts on labelled data with grouped cross-validation
// (docs/ensemble.md, "Training and measurement"): the micro-vote's logistic weights, the
// citation-overlap threshold and the stacker; and the out-of-fold comparison of the risk scorer
// alone against the ensemble at a fixed escalation budget. The risk scorer's out-of-fold
// probabilities come from hrs::train_model on the same folds.
#pragma once
#include <string>
#include <vector>

#include "ensemble/combine.h"
#include "ensemble/voters.h"
#include "hrs/train.h"

namespace flk::ensemble {

constexpr double kMicroL2 = 1e-3;
constexpr double kStackerL2 = 1e-3;

struct Learned {
  VoterParams voters;
  Stacker stacker;
};

// Per example, the inputs every fit needs, computed once.
struct Prepared {
  std::vector<MicroRow> micro;
  std::vector<double> grounding;                   // -1: skipped (no context)
  std::vector<std::vector<double>> sentence_jaccard;  // empty: no context
  std::vector<int> label;
};
Prepared prepare(const std::vector<hrs::Example>& data);

hrs::LinearModel fit_micro(const Prepared& p, const std::vector<uint8_t>& use);
// The threshold t maximising TPR - FPR of "some sentence's Jaccard < t" (grid of 0.01 steps).
double fit_citation_threshold(const Prepared& p, const std::vector<uint8_t>& use);
double citation_score(const std::vector<double>& jaccard, double threshold);  // -1: skipped

// The stacker's voters and their out-of-fold scores (-1: skipped) per example.
extern const char* const kStackerVoters[4];
Stacker fit_stacker(const std::vector<std::vector<double>>& scores, const std::vector<int>& label,
                    const std::vector<uint8_t>& use);
double stacker_probability(const Stacker& s, const std::vector<double>& scores);

struct SetResult {
  std::string set;
  size_t examples = 0, positives = 0, escalated = 0;
  double auroc_risk = 0, auroc_ensemble = 0;
  size_t escaped_risk = 0, escaped_ensemble = 0;  // label 1 not escalated at the budget
  std::vector<std::pair<std::string, double>> auroc_voters;
  size_t nofm_accept = 0, nofm_escalate = 0, nofm_reject = 0, nofm_escaped = 0, nofm_false_reject = 0;
  double ece_ensemble = 0;
  double corr_risk_micro = 0;  // Pearson correlation of the two models' out-of-fold scores (with context)
};

struct EvalResult {
  double budget = 0.1;
  int folds = 0;
  std::vector<SetResult> sets;
  Learned learned;  // fitted on all examples
};

// risk_oof / fold: per example, from hrs::train_model (TrainResult::oof_probability, ::fold).
EvalResult evaluate(const std::vector<hrs::Example>& data, const std::vector<double>& risk_oof,
                    const std::vector<int>& fold, int folds, double budget);

}  // namespace flk::ensemble
