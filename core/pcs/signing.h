// PCS signatures (spec §4): HMAC-SHA256 over the canonical payload bytes, or Ed25519 over the
// 32 raw bytes of SHA-256(payload). Signatures travel as standard base64.
#pragma once
#include <string>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "json/fields.h"
#include "pcs/document.h"

namespace flk::pcs {

enum class Alg { Hmac, Ed25519 };

// A signing or verifying key. For HMAC `secret` is the shared key; for Ed25519 signing `seed`
// and for verifying `public_key` is set.
struct Key {
  Alg alg = Alg::Hmac;
  crypto::Bytes secret;
  std::optional<crypto::Seed> seed;
  std::optional<crypto::PublicKey> public_key;
};

// {"alg":"hmac","key_text"|"key_hex"|"key_b64"} or
// {"alg":"ed25519","seed_hex"|"seed_b64"} (signing) / {"alg":"ed25519","public_key_hex"|"public_key_b64"}.
Result<Key> read_key(const json::Value& v, const std::string& path, bool for_signing);

std::string sign(const SignedSubset& s, const Key& key);

// Empty string when valid, otherwise why not ("signature is empty", "signature is not base64", …).
std::string check_signature(const SignedSubset& s, const std::string& sig_b64, const Key& key);

}  // namespace flk::pcs
