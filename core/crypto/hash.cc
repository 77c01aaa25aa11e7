#include "crypto/hash.h"

#include <sodium.h>

namespace flk::crypto {

bool init() { return sodium_init() >= 0; }

Digest sha256(const uint8_t* p, size_t n) {
  Digest d;
  crypto_hash_sha256(d.data(), p, n);
  return d;
}

std::string sha256_hex(std::string_view s) {
  Digest d = sha256(s);
  return to_hex(d.data(), d.size());
}

Digest hmac_sha256(const Bytes& key, const uint8_t* msg, size_t n) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, msg, n);
  Digest d;
  crypto_auth_hmacsha256_final(&st, d.data());
  return d;
}

bool equal_ct(const uint8_t* a, const uint8_t* b, size_t n) { return sodium_memcmp(a, b, n) == 0; }

}  // namespace flk::crypto
