// The model card of a trained HRS model and the JSON form of its cross-validation report.
#pragma once
#include <string>

#include "hrs/train.h"
#include "json/value.h"

namespace flk::hrs_io {

json::Value set_metrics_json(const std::vector<hrs::SetMetrics>& sets);
json::Value card_json(const hrs::CvReport& rep, const hrs::TrainOptions& opt, const std::string& data_sha256,
                      double positive_ratio);

}  // namespace flk::hrs_io
