// The anomaly ops are split by purpose: detectors and streams (ops_anomaly.cc), decisions,
// feedback, clusters and evaluation (ops_anomaly_feedback.cc). add_anomaly_ops adds both.
#pragma once
#include <vector>

#include "facade/registry.h"

namespace flk {

void add_anomaly_feedback_ops(std::vector<OpSpec>& t);

}  // namespace flk
