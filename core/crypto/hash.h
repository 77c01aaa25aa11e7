// SHA-256, HMAC-SHA256 and constant-time comparison, all from libsodium.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "crypto/encoding.h"

namespace flk::crypto {

using Digest = std::array<uint8_t, 32>;

// Must run once before any other crypto call (idempotent, thread-safe in libsodium).
bool init();

Digest sha256(const uint8_t* p, size_t n);
inline Digest sha256(std::string_view s) { return sha256(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
std::string sha256_hex(std::string_view s);

// Any key length (longer than the block size is hashed first, per RFC 2104).
Digest hmac_sha256(const Bytes& key, const uint8_t* msg, size_t n);
bool equal_ct(const uint8_t* a, const uint8_t* b, size_t n);

}  // namespace flk::crypto
