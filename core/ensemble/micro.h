// The micro-vote: a second, small model over a feature family the risk scorer does not read.
// The scorer works on word tokens and stems; these features work on raw characters (ASCII
// lowercased, every run of other bytes one space): how many of the answer's character 4-grams
// and 8-grams occur in the context or the question, and whether its digit runs do. A logistic
// regression over them (weights shipped as data, a few hundred bytes), so its mistakes are not
// the scorer's mistakes and it fits the edge.
#pragma once
#include <array>
#include <string_view>

#include "hrs/logistic.h"

namespace flk::ensemble {

enum MicroFeature {
  kChar4InContext,
  kChar4InQuestion,
  kChar8InContext,
  kChar4Novel,       // in neither source
  kDigitsInSource,   // share of the answer's digit runs found in question or context
  kHasDigits,
  kHasContext,
  kHasQuestion,
  kMicroFeatures
};
const char* micro_feature_name(int f);

using MicroRow = std::array<double, kMicroFeatures>;
MicroRow micro_features(std::string_view question, std::string_view context, std::string_view answer);

}  // namespace flk::ensemble
