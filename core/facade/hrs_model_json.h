// HRS models as JSON files: {"format", "id", "kind", "features", "lexical", "members",
// "calibration", "interval", "drift_baseline", "card"}. The id is the SHA-256 (hex) of the
// canonical JSON of the object without its "id" key, every number written as a double (so
// 1 and 1.0 hash alike); loading recomputes and checks it.
#pragma once
#include <string>
#include <vector>

#include "hrs/drift.h"
#include "hrs/model.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::hrs_io {

constexpr const char* kModelFormat = "flk-hrs-model/1";
constexpr size_t kMaxMembers = 64;

struct LoadedModel {
  std::string id;
  hrs::Model model;
  std::vector<hrs::FeatureBaseline> baseline;  // per model feature, then the logit
  double cv_auroc = -1;                        // overall grouped-CV AUROC from the card, -1 if absent
  json::Value card;
};

// The model object with its id set.
json::Value model_json(const hrs::Model& m, const std::vector<hrs::FeatureBaseline>& baseline, json::Value card);
std::string model_id(const json::Value& model);  // hash of everything but "id"
Result<LoadedModel> load_model(const json::Value& v, const std::string& path);

json::Value baseline_json(const hrs::FeatureBaseline& b);

}  // namespace flk::hrs_io
