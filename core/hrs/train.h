// Training an HRS model with grouped cross-validation (groups.h):
// 1. features and bag-of-words buckets for every example;
// 2. per outer fold: the bag-of-words model's out-of-fold logits on the training folds (inner
//    folds = the other outer folds), bootstrap members fitted on the training folds, scores on
//    the held-out fold; the baselines fitted on the same folds;
// 3. Platt and isotonic calibration compared on the out-of-fold logits (each fitted on the
//    other folds' logits), the one with the lower Brier score kept and refitted on all of them;
// 4. the shipped members and bag-of-words model fitted on all examples.
// Everything is deterministic given the seed.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "hrs/drift.h"
#include "hrs/features.h"
#include "hrs/model.h"
#include "util/result.h"

namespace flk::hrs {

struct Example {
  std::string_view question, context, answer, source;
  Task task = Task::Unknown;
  int label = 0;
};

struct TrainOptions {
  TrainOptions() {
    gbt.trees = 150;
    gbt.depth = 4;
  }
  ModelKind kind = ModelKind::Gbt;
  int folds = 5;
  int bags = 8;  // bootstrap members
  uint64_t seed = 1;
  GbtOptions gbt;
  double linear_l2 = 1e-3;
  double lexical_l2 = 1e-4;
  int lexical_bits = 16;
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

struct CalibrationChoice {
  std::string chosen;
  double brier_platt = 0, brier_isotonic = 0, ece_platt = 0, ece_isotonic = 0;
};

struct CvReport {
  int folds = 0;
  size_t examples = 0, groups = 0;
  std::vector<MethodMetrics> methods;
  CalibrationChoice calibration;
  std::vector<std::pair<std::string, size_t>> set_groups;  // groups per set
  double mean_interval_width = 0;
  std::vector<double> importance;  // mean |contribution| per model feature (final model)
};

struct TrainResult {
  Model model;
  CvReport report;
  std::vector<FeatureBaseline> baseline;  // per model feature, then the logit (drift checks)
};

Result<TrainResult> train_model(const std::vector<Example>& data, const TrainOptions& opt);

// Metrics of probabilities against labels, per source and over all.
std::vector<SetMetrics> metrics_by_set(const std::vector<double>& prob, const std::vector<int>& label,
                                       const std::vector<std::string_view>& source);

}  // namespace flk::hrs
