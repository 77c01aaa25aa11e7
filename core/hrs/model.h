// A trained HRS model: the bag-of-words sub-model, an ensemble of bootstrap members (logistic
// or gradient-boosted trees) over the text features plus the sub-model's logit, and a
// calibrator. Scoring gives the calibrated probability of hallucination with a 95 % interval
// from the spread of the members; explaining gives per-feature contributions to the logit.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "hrs/calibration.h"
#include "hrs/features.h"
#include "hrs/gbt.h"
#include "hrs/logistic.h"

namespace flk::hrs {

enum class ModelKind { Logistic, Gbt };
const char* kind_name(ModelKind k);

// The members' inputs: the text features, then the bag-of-words logit.
constexpr int kLexicalFeature = kNumFeatures;
constexpr int kModelFeatures = kNumFeatures + 1;
using ModelRow = std::array<double, kModelFeatures>;
const char* model_feature_name(int f);

struct Model {
  ModelKind kind = ModelKind::Gbt;
  int lexical_bits = 16;
  SparseLinearModel lexical;
  std::vector<LinearModel> linear;  // members when kind == Logistic
  std::vector<GbtModel> gbt;        // members when kind == Gbt
  Calibrator calibrator;
  std::vector<RegimeCalibrator> regime_calibrators;  // ascending regime; none in older models
  // Interval's grounding term per regime [no context, context] (interval.h); 0 in older models.
  std::array<double, 2> grounding_sd{};
  size_t members() const { return kind == ModelKind::Logistic ? linear.size() : gbt.size(); }
};

double lexical_logit(const Model& m, const Features& f, const std::vector<Token>& answer_tokens);
ModelRow model_row(const Features& f, double lexical_logit);

struct Score {
  double logit = 0;        // mean of the members' logits (before calibration)
  double spread = 0;       // standard deviation of the members' logits
  double probability = 0;  // calibrate(logit), with the map of the request's regime
  // calibrate(logit -/+ 1.96 sqrt(spread^2 + g^2)), g the model's grounding term for the request
  double low = 0, high = 0;
};

double member_logit(const Model& m, size_t member, const double* x);
Score score_row(const Model& m, const ModelRow& x);

// Contributions of each model feature to Score::logit, averaged over members: exact for the
// linear members (w_k (x_k - mean_k) / sd_k, reference = bias), TreeSHAP for trees (reference =
// cover-weighted mean output). logit == reference + sum(phi) up to rounding.
struct Explanation {
  std::array<double, kModelFeatures> phi{};
  double reference = 0;
};
Explanation explain_row(const Model& m, const ModelRow& x);

}  // namespace flk::hrs
