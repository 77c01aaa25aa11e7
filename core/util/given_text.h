// The text of a data file a loader handed over at run time (the browser build's default model and
// WordNet table). The loaders inflate the gzip files with the runtime's own inflater
// (DecompressionStream in browsers, node:zlib in Node), so the browser module does not link zlib's
// inflate (docs/edge.md, "Size budget").
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk {

// Fails (code "internal") when the bytes are still gzip or are over max_bytes.
Result<std::string> given_text(std::string_view file, size_t max_bytes);

}  // namespace flk
