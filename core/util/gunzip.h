// Decompression of gzip data (RFC 1952) with zlib, for resources embedded in the binary.
#pragma once
#include <cstddef>
#include <string>

#include "util/result.h"

namespace flk {

// Fails (code "internal") on corrupt data or when the output would exceed max_out bytes.
Result<std::string> gunzip(const unsigned char* data, size_t size, size_t max_out);

}  // namespace flk
