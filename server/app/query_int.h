// A whole number from a request's query string or path, the one check every route's paging,
// window and version parameters share: digits only (a '-' first when negatives are allowed),
// within [lo, hi], else a 422 out_of_range naming the parameter as its path.
#pragma once
#include <cstdint>

#include "http/types.h"

namespace flk::server {

// *out is the parameter's value, or `def` when the query does not give it.
bool int_param(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t def, int64_t* out, Response* err);

// A path parameter: always present, so an empty one is out of range too.
bool int_path_param(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t* out, Response* err);

}  // namespace flk::server
