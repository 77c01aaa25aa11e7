// The anomaly ops are split by purpose: detectors and streams (ops_anomaly.cc), decisions,
// feedback, clusters and evaluation (ops_anomaly_feedback.cc), the shipped default model
// (ops_anomaly_default.cc). add_anomaly_ops adds them all.
#pragma once
#include <vector>

#include "facade/registry.h"

namespace flk {

void add_anomaly_feedback_ops(std::vector<OpSpec>& t);
void add_anomaly_default_ops(std::vector<OpSpec>& t);

}  // namespace flk
