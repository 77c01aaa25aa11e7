// Ed25519 (RFC 8032, deterministic signatures) from libsodium. Keys are 32-byte seeds.
#pragma once
#include <array>
#include <cstdint>

#include "crypto/encoding.h"

namespace flk::crypto {

using Seed = std::array<uint8_t, 32>;
using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

PublicKey ed25519_public_key(const Seed& seed);
Signature ed25519_sign(const Seed& seed, const uint8_t* msg, size_t n);
bool ed25519_verify(const PublicKey& pk, const Signature& sig, const uint8_t* msg, size_t n);

}  // namespace flk::crypto
