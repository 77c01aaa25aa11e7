// The micro-vote: a second, small model over a feature family the risk scorer does not read.
// The scorer works on word tokens and stems; these features work on raw characters (ASCII
// lowercased, every run of other bytes one space): how many of the answer's character 4-, 8-
// and 16-grams occur in the context, and whether its digit runs do. Nothing is compared with
// the question: echoing the question is a form shortcut of the benchmarks (HaluEval's
// hallucinated answers repeat it), which the scorer drops for the same reason. A logistic
// regression over them (weights shipped as data, a few hundred bytes), so its mistakes are not
// the scorer's mistakes and it fits the edge.
#pragma once
#include <array>
#include <string_view>

#include "hrs/logistic.h"

namespace flk::ensemble {

enum MicroFeature {
  kChar4InContext,
  kChar8InContext,
  kChar16InContext,
  kDigitsInContext,  // share of the answer's digit runs found in the context
  kHasDigits,
  kHasContext,
  kMicroFeatures
};
const char* micro_feature_name(int f);

using MicroRow = std::array<double, kMicroFeatures>;
MicroRow micro_features(std::string_view context, std::string_view answer);

}  // namespace flk::ensemble
