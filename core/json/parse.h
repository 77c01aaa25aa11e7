// Strict JSON parsing into Value: UTF-8 validated, NaN/Infinity rejected, duplicate keys
// rejected, nesting and size bounded. Numbers: integers that fit int64 are Int, all others Double
// (parsed with full precision, identical on every build).
#pragma once
#include <cstddef>
#include <string_view>

#include "json/value.h"
#include "util/result.h"

namespace flk::json {

struct ParseLimits {
  size_t max_bytes = 64u << 20;  // 64 MiB: the facade's documented input limit
  size_t max_depth = 64;
};

// Errors: bad_json (syntax, encoding, NaN/Infinity), duplicate_key, too_deep, too_large.
Result<Value> parse(std::string_view text, const ParseLimits& limits = {});

}  // namespace flk::json
