// The anomaly model a host scores single-value series with until it has one fitted on its own
// data (flk-server uses it for tenants without a model): the rolling z-score detector,
// fitted on real data by scripts/make-default-anomaly-model.sh (docs/anomaly.md says how).
#pragma once

namespace flk {

// The model as anomaly.fit returned it (JSON text). Generated: do not edit by hand.
const char* anomaly_default_model_json();

}  // namespace flk
