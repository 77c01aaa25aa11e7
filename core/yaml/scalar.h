// Scalar pieces of the YAML reader: plain-scalar resolution by the JSON-compatible core schema
// and double-quoted escapes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "json/value.h"
#include "util/result.h"

namespace flk::yaml {

// null/Null/NULL/~/empty, true/false (three spellings each), decimal, 0o and 0x integers, and
// floats; anything else is the string itself. .inf and .nan are refused (a JSON value is finite),
// as is an integer written in 0o/0x beyond int64. The error is a bare message.
Result<json::Value> resolve_plain(std::string_view s);

// The escape after a backslash at s[0] (s holds the next characters, 11 are enough): appends its UTF-8 to out
// and answers how many characters it used, or an error message. A \u high surrogate takes its
// \u low one with it; a lone surrogate is refused (it has no UTF-8).
Result<size_t> decode_escape(std::string_view s, std::string& out);

void append_utf8(uint32_t cp, std::string& out);

}  // namespace flk::yaml
