// The CLI's calls to a running flk-server's admin API (flk canary status, flk policy simulate
// --server): the admin token from --admin-token or else FLK_ADMIN_TOKEN, JSON in and out.
#pragma once
#include <optional>
#include <string>

#include "cli/flags.h"
#include "json/value.h"

namespace flk::cli {

// The answer's JSON when the server answers 200 with JSON. Otherwise prints why to stderr, prefixed
// by `who` (no answer, or the status and body: a typed error's JSON), and returns nothing.
// The flags give --server and optionally --admin-token. A body means POST, none GET.
std::optional<json::Value> admin_call(const Parsed& flags, const char* who, const std::string& path,
                                      const json::Value* body = nullptr);

// "/v1/admin/tenants/<tenant>" with the tenant percent-encoded (all but A-Z a-z 0-9 - . _ ~).
std::string tenant_path(const std::string& tenant);

}  // namespace flk::cli
