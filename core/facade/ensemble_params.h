// The ensemble's learned parameters as a JSON document (format flk-ensemble-params/1): the
// micro-vote's logistic weights, the citation threshold and the stacker, written by
// `flk ensemble eval --out` and embedded in every build (ensemble_default_params.inc).
#pragma once
#include <memory>

#include "ensemble/fit.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::ensemble_io {

constexpr const char* kParamsFormat = "flk-ensemble-params/1";

json::Value params_json(const ensemble::Learned& p);
Result<ensemble::Learned> read_params(const json::Value& v, const std::string& path);

// The embedded parameters, parsed once; id = SHA-256 (hex) of their canonical JSON.
struct DefaultParams {
  ensemble::Learned learned;
  std::string id;
};
const DefaultParams& default_params();

}  // namespace flk::ensemble_io
