// Whether bytes are well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF) — the same rule as RapidJSON's validating reader, checked eight
// ASCII bytes at a time so that a validated parse of mostly-ASCII text costs little.
#pragma once
#include <string_view>

namespace flk::json {

bool valid_utf8(std::string_view s);

}  // namespace flk::json
