// The YAML reader's input: checked UTF-8 with line breaks made "\n", and positions as
// line:column for messages.
#pragma once
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk::yaml {

// Validates UTF-8 (no overlongs, surrogates or code points past U+10FFFF), refuses control
// characters other than tab and line breaks, drops a leading byte order mark and turns CR LF
// and lone CR into LF. The error message is bare; `before_error` gets the normalized text up to
// where the input went wrong, whose end where() places.
Result<std::string> normalize(std::string_view in, std::string* before_error);

// "line:column" (both from 1, columns in code points) of a byte offset into the normalized text.
std::string where(std::string_view text, size_t offset);

}  // namespace flk::yaml
