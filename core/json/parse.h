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
  // Values in the tree (every number, string, boolean, null, array and object counts one): a
  // value costs some 40 bytes of tree against 2 of text ("[0,0,..."), so the text bound alone
  // would let 64 MiB build a tree of gigabytes. docs/limits.md.
  size_t max_values = size_t{1} << 22;
};

// Errors: bad_json (syntax, encoding, NaN/Infinity), duplicate_key, too_deep, too_large (bytes or
// values; the path locates the first value over the bound).
Result<Value> parse(std::string_view text, const ParseLimits& limits = {});

}  // namespace flk::json
