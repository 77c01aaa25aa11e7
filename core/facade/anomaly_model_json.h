// The anomaly model as JSON ("format": "flk.anomaly.model/1"): every learned number, in the
// canonical float form, so a model read back scores bit-identically in every build. Reading
// checks shapes, ranges and tree structure, with the path of the first problem.
#pragma once
#include <string>

#include "anomaly/detector.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::anomaly_json {

constexpr const char* kModelFormat = "flk.anomaly.model/1";

json::Value model_to_json(const anomaly::AnomalyModel& m, bool with_optimizer);
Result<anomaly::AnomalyModel> model_from_json(const json::Value& v, const std::string& path);

}  // namespace flk::anomaly_json
