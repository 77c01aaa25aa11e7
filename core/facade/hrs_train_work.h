// The total work of training the risk scorer (hrs.train, ensemble.eval), checked before any
// feature is computed (docs/limits.md). work_path names the field to lower for the members' work.
#pragma once
#include <vector>

#include "hrs/train.h"
#include "util/result.h"

namespace flk::hrs_io {

Status check_train_work(const hrs::TrainOptions& opt, const std::vector<hrs::Example>& data, const char* work_path);

}  // namespace flk::hrs_io
