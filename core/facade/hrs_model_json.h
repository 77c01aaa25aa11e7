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
  uint8_t groups_used = 0;                     // FeatureGroup bits the members give weight to
  json::Value card;
};

// The model object with its id set.
json::Value model_json(const hrs::Model& m, const std::vector<hrs::FeatureBaseline>& baseline, json::Value card);
std::string model_id(const json::Value& model);  // hash of everything but "id"
// verify_id = false trusts the stated id (for the model embedded at build time: hashing a
// megabyte of canonical JSON would dominate the first call).
Result<LoadedModel> load_model(const json::Value& v, const std::string& path, bool verify_id = true);

// Which feature groups a model gives weight to (FeatureGroup bits).
uint8_t groups_used_by(const hrs::Model& m);

json::Value baseline_json(const hrs::FeatureBaseline& b);

// A dense logistic model {bias, center, scale, weight} of `inputs` inputs (also the ensemble's
// micro-vote and stacker, ensemble_params.cc).
json::Value linear_json(const hrs::LinearModel& m);
Result<hrs::LinearModel> read_linear(const json::Value& v, const std::string& path, size_t inputs);

}  // namespace flk::hrs_io
