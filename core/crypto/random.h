// Secure random bytes from the host (getrandom natively, Web Crypto in wasm via libsodium).
#pragma once
#include "crypto/ed25519.h"

namespace flk::crypto {

Bytes random_bytes(size_t n);
Seed random_seed();

}  // namespace flk::crypto
