// GET /v1/cost/forecast (cost.forecast of a tenant's stored usage) and GET /v1/cost/advice
// (cost.advise over it, with budget caps from the forecast), read like the other cost routes: the
// admin or the tenant itself. Stored usage carries no verification outcome yet, so the advice has
// no quality evidence and never suggests a model switch.
#pragma once
#include <vector>

#include "app/app.h"

namespace flk::server {

std::vector<Route> cost_plan_routes(App& app);

}  // namespace flk::server
