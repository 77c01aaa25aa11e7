// Training an HRS model with grouped cross-validation (groups.h):
// 1. features and bag-of-words buckets for every example;
// 2. per outer fold: the bag-of-words model's out-of-fold logits on the training folds (inner
//    folds = the other outer folds), bootstrap members fitted on the training folds, scores on
//    the held-out fold; the baselines fitted on the same folds;
// 3. the calibration fitted on the out-of-fold logits, globally and per regime of the request,
//    cross-fitted (calibration_fit.h);
// 4. the shipped members and bag-of-words model fitted on all examples.
// Form: the members never see the answer-form features (is_form_feature), every short or
// sentence-long QA answer also enters training in its other form with its label
// (forms.h), and the form probes rewrite the held-out examples of each fold and are scored
// by that fold's model.
// Everything is deterministic given the seed.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "hrs/calibration_fit.h"
#include "hrs/drift.h"
#include "hrs/features.h"
#include "hrs/forms.h"
#include "hrs/interval.h"
#include "hrs/model.h"
#include "hrs/synthetic.h"
#include "util/result.h"

namespace flk::hrs {

struct Example {
  std::string_view question, context, answer, source;
  Task task = Task::Unknown;
  int label = 0;
};

struct TrainOptions {
  TrainOptions() {
    gbt.trees = 134;
    gbt.depth = 4;
  }
  ModelKind kind = ModelKind::Gbt;
  int folds = 5;
  int bags = 3;  // bootstrap members
  uint64_t seed = 1;
  GbtOptions gbt;
  double linear_l2 = 1e-3;
  double lexical_l2 = 1e-4;
  int lexical_bits = 17;
  // 0: the bag of words keeps every bucket. Otherwise only the `lexical_keep` buckets of largest
  // |weight| are kept and refitted, the rest are 0: fewer collisions in a large hash space for
  // the bytes of a small one (the model file stores the kept buckets only).
  int lexical_keep = 10000;
  bool drop_form = true;      // the members do not see the answer-form features
  bool balance_forms = true;  // QA answers also trained in their other form
  // Within a regime (task, question given, context given), every set's labels are weighted to
  // the regime's base rate in the sub-model's and the members' fits, so no set's base rate is
  // worth guessing from an answer's length or wording.
  bool balance_labels = true;
  bool probes = true;         // form probes in cross-validation
  bool synthetic = true;      // FactCC-style consistency rows from the contexts (synthetic.h)
  double synthetic_weight = 0.3;  // their weight in the members' fits, in [0.001, 1]
};

// Per probe and set: the rewritten examples and the AUROC of the set with them in place of
// the originals (auroc_original: the same set unmodified), the mean change of the calibrated
// probability of rewritten label-0 and label-1 examples, and the share of probabilities that
// cross 0.5 the wrong way (a correct answer rising to >= 0.5 or a hallucinated one falling below).
struct ProbeMetrics {
  std::string probe, set;
  size_t changed = 0;
  double auroc = 0, auroc_original = 0, shift_label0 = 0, shift_label1 = 0, flipped = 0;
};

struct SetMetrics {
  std::string set;  // source name, or "all"
  size_t examples = 0, positives = 0;
  double auroc = 0, auprc = 0, ece = 0, brier = 0;
};

// Out-of-fold metrics of one scorer ("hrs" or a baseline) per set and over all examples.
struct MethodMetrics {
  std::string method;
  std::vector<SetMetrics> sets;
};

struct CvReport {
  int folds = 0;
  size_t examples = 0, groups = 0;
  std::vector<MethodMetrics> methods;
  CalibrationChoice calibration;                     // the global map
  std::vector<RegimeCalibrationFit> regime_calibration;  // regimes with enough examples
  std::vector<std::pair<std::string, size_t>> set_groups;  // groups per set
  double mean_interval_width = 0;  // with the grounding term
  GroundingFit grounding;
  std::vector<double> importance;  // mean |contribution| per model feature (final model)
  std::vector<ProbeMetrics> probes;
  size_t balancing_rows = 0;
  std::vector<std::pair<std::string, size_t>> synthetic_rows;  // per swap kind ("none": kept sentences)
};

struct TrainResult {
  Model model;
  CvReport report;
  std::vector<FeatureBaseline> baseline;  // per model feature, then the logit (drift checks)
  // Per example: the calibrated out-of-fold probability and its fold (the ensemble's
  // measurement stacks on them, docs/ensemble.md).
  std::vector<double> oof_probability;
  std::vector<int> fold;
};

// The form-probe input of an example.
FormInput form_input(const Example& e);

// A probe's rewrite of example `origin` and its probability.
struct ProbeScore {
  uint32_t origin;
  int probe;  // Probe
  double prob;
};
// Per probe and set (of `source`), from the examples' probabilities and the rewrites'.
std::vector<ProbeMetrics> probe_metrics(const std::vector<double>& prob, const std::vector<int>& label,
                                        const std::vector<std::string_view>& source,
                                        const std::vector<ProbeScore>& rewrites);

Result<TrainResult> train_model(const std::vector<Example>& data, const TrainOptions& opt);

// Metrics of probabilities against labels, per source and over all.
std::vector<SetMetrics> metrics_by_set(const std::vector<double>& prob, const std::vector<int>& label,
                                       const std::vector<std::string_view>& source);

}  // namespace flk::hrs
