// The signed form of a gate decision (flk-server's POST /v1/verify): the decision document plus
// "signature": {alg: "ed25519", key_id, sig_b64}, the signature covering the canonical JSON
// (json/write.h) of the document without its "signature" member (1.0 written as 1, so a reader
// that keeps no int/float distinction re-checks it), so anyone holding the server's
// public key can re-verify a stored decision (op gate.check_decision).
#pragma once
#include <string>

#include "crypto/ed25519.h"
#include "json/value.h"

namespace flk::gate {

// The first 16 hex digits of SHA-256 of the public key.
std::string key_id(const crypto::PublicKey& pk);
// The signed bytes: doc without "signature", canonical, integral numbers written as integers.
std::string seal_payload(const json::Value& doc);
// doc with its signature under seed (any previous signature replaced).
json::Value seal(json::Value doc, const crypto::Seed& seed);

enum class SealCheck { kValid, kNoSignature, kOtherKey, kBadSignature };
SealCheck check_seal(const json::Value& doc, const crypto::PublicKey& pk);
const char* seal_check_name(SealCheck c);

}  // namespace flk::gate
