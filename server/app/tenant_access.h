// Who may read or add a tenant's cost data: the admin (Authorization: Bearer <admin token>) or
// the tenant itself, proving it with one of its live keys in X-Flk-Signature (HMAC-SHA256 of a
// text, or Ed25519 of its SHA-256, as for usage events):
//   reads (GET)    the text "<METHOD> <path>?<query>", the query holding ts=<epoch ms> within
//                  kSkewMs of the server's clock, so a signature covers one tenant, path and
//                  query and can be replayed only for that read, only for a few minutes;
//   uploads (POST) the body.
// Both then take a token of the tenant's rate limit. Authentication comes first: without the
// admin token the answer (401) does not depend on whether the named tenant exists; the admin
// is told 404 unknown_tenant. Anomaly events (app/anomaly_routes.cc) are read the same way.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>

#include "app/app.h"

namespace flk::server {

constexpr int64_t kSkewMs = 5 * 60 * 1000;

// A 200 application/json response.
Response json_answer(const json::Value& v);
// Rejects (422 unknown_parameter) query parameters other than the allowed ones.
bool known_params(const std::string& query, std::initializer_list<const char*> allowed, Response* err);
std::shared_ptr<const Tenant> reader(App& app, const Request& req, const std::string& tenant_id, Response* err);
std::shared_ptr<const Tenant> uploader(App& app, const Request& req, const std::string& tenant_id, Response* err);
// from= and to= as days (YYYY-MM-DD, to excluded, at most max_days apart) in epoch ms.
bool day_range(const Request& req, int64_t max_days, int64_t* from_ms, int64_t* to_ms, Response* err);

}  // namespace flk::server
