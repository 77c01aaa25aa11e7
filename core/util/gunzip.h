// Decompression of gzip data (RFC 1952) with zlib, for resources embedded in the binary.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk {

// Fails (code "internal") on corrupt data or when the output would exceed max_out bytes.
Result<std::string> gunzip(const unsigned char* data, size_t size, size_t max_out);

// A data file a loader handed over: gzip, or its text already (a server that sent the file with
// Content-Encoding: gzip has let fetch decompress it); at most max_out bytes of text either way.
Result<std::string> gunzip_if_gzip(std::string_view file, size_t max_out);

}  // namespace flk
