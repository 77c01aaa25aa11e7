// The declaration of every HTTP route, in one table: method, path, the worker pool its handler
// runs on, who may call it, its body shapes and its statuses. The shapes are TypeScript type
// strings in the op table's dialect (core/facade), which may name the op table's types and
// Ops['op']['input' | 'output']. `flk-server --routes` prints the table; scripts/gen-types.mjs
// makes docs/openapi.yaml from it, the op table and docs/openapi-prose.yaml.
#pragma once
#include <string>

#include "json/value.h"

namespace flk::server {

// Where a handler runs: on the I/O thread (answers at once, or hands the request to the WAL),
// the compute pool (more than a few microseconds of CPU), the store pool (blocks on the store)
// or the probe pool (pings the store but must answer while the store pool is saturated).
enum class RoutePool { io, compute, store, probe };

// Who may call a route (docs/server.md, "Authentication, rate limits and error statuses").
enum class RouteAuth {
  none,
  admin,                // Authorization: Bearer <admin token>
  admin_or_signed,      // the admin token, or X-Flk-Signature over "GET <path>?<query>" by the tenant
  signed_body,          // X-Flk-Signature over the body by a live key of the tenant
  signed_or_anonymous,  // signed_body, or neither X-Tenant-Id nor a signature (the peer's rate)
  pcs_signature,        // the PCS's own sig, by a live key of the tenant
};

struct RouteSpec {
  const char* method;
  const char* path;  // "/v1/admin/tenants/{tenant}/keys"
  RoutePool pool;
  RouteAuth auth;
  const char* request;   // the body's type; nullptr: no body
  const char* response;  // the body of the ok statuses; nullptr: none
  const char* ok;        // statuses answered with response, "200 202"
  const char* errors;    // statuses answered with an Error body, "400 401 422"
  const char* request_media = "application/json";
  const char* response_media = "application/json";
};

// The row of a route, or nullptr.
const RouteSpec* find_route_spec(const std::string& method, const std::string& path);
// {"routes": [...], "types": {name: type}}: every row, and the named types rows use that the op
// table does not define.
json::Value route_table_json();

}  // namespace flk::server
