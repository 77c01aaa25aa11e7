// The anomaly model a tenant's single-value series are scored with until an admin installs the
// tenant's own (PUT /v1/admin/tenants/{tenant}/anomaly/model): the rolling z-score detector,
// calibrated on real request-latency data (scripts/make-default-anomaly-model.sh says how).
#pragma once

namespace flk::server {

// The model as anomaly.fit returned it (JSON text).
const char* default_anomaly_model();

}  // namespace flk::server
