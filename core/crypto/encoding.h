// Binary <-> text: lowercase hex and RFC 4648 standard base64 with padding (libsodium's codecs).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace flk::crypto {

using Bytes = std::vector<uint8_t>;

std::string to_hex(const uint8_t* p, size_t n);
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }
std::string to_base64(const uint8_t* p, size_t n);
inline std::string to_base64(const Bytes& b) { return to_base64(b.data(), b.size()); }

// Errors: bad_encoding (odd length, non-hex digit; non-canonical or unpadded base64).
Result<Bytes> from_hex(std::string_view s);
Result<Bytes> from_base64(std::string_view s);

inline Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace flk::crypto
