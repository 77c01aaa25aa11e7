// The model card of a trained HRS model and the JSON form of its cross-validation report.
#pragma once
#include <string>

#include "hrs/train.h"
#include "json/value.h"

namespace flk::hrs_io {

json::Value set_metrics_json(const std::vector<hrs::SetMetrics>& sets);
// {probe: {set: {changed, auroc, auroc_original, shift_label0, shift_label1, wrong_side_of_half}}}
json::Value probe_metrics_json(const std::vector<hrs::ProbeMetrics>& probes);
json::Value card_json(const hrs::CvReport& rep, const hrs::TrainOptions& opt, const std::string& data_sha256,
                      double positive_ratio);

}  // namespace flk::hrs_io
