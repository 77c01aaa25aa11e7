// The one JSON writer: compact, keys in code-point order at every level, ASCII-only output
// (Python json.dumps(ensure_ascii=True, sort_keys=True, separators=(",", ":")) bytes),
// floats by json/number_format.h. Every facade output and the PCS signature payload use it.
#pragma once
#include <string>

#include "json/value.h"

namespace flk::json {

// Returns false (and writes null in its place) if a non-finite double was met.
bool write(const Value& v, std::string& out);
std::string to_string(const Value& v);

void append_quoted(std::string& out, std::string_view s);

}  // namespace flk::json
