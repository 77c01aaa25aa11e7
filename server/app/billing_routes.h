// POST /v1/cost/billing (a tenant's FOCUS / AWS CUR / Azure / GCP export, stored once per content digest) and
// GET /v1/cost/reconcile (cost.reconcile of the tenant's stored usage against its stored bills).
#pragma once
#include <vector>

#include "app/app.h"

namespace flk::server {

std::vector<Route> billing_routes(App& app);

}  // namespace flk::server
