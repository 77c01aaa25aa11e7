#include "gate/seal.h"

#include <algorithm>
#include <cmath>

#include "crypto/hash.h"
#include "json/write.h"

namespace flk::gate {
namespace {

constexpr const char* kSignature = "signature";

// JSON readers that keep no int/float distinction (JavaScript's) turn 1.0 into 1: integral
// doubles are signed as integers, so a decision re-read by any of them still checks.
void integral_as_int(json::Value& v) {
  if (v.type() == json::Type::Double) {
    const double d = v.as_double();
    if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) v = json::Value(static_cast<int64_t>(d));
  } else if (v.is_array()) {
    for (json::Value& x : v.as_array()) integral_as_int(x);
  } else if (v.is_object()) {
    for (auto& m : v.as_object()) integral_as_int(m.second);
  }
}

json::Value without_signature(json::Value doc) {
  auto& o = doc.as_object();
  o.erase(std::remove_if(o.begin(), o.end(), [](const auto& m) { return m.first == kSignature; }), o.end());
  return doc;
}

}  // namespace

std::string key_id(const crypto::PublicKey& pk) {
  const crypto::Digest d = crypto::sha256(std::string_view(reinterpret_cast<const char*>(pk.data()), pk.size()));
  return crypto::to_hex(d.data(), 8);
}

std::string seal_payload(const json::Value& doc) {
  json::Value signed_part = without_signature(doc);
  integral_as_int(signed_part);
  return json::to_string(signed_part);
}

json::Value seal(json::Value doc, const crypto::Seed& seed) {
  const std::string payload = seal_payload(doc);
  doc = without_signature(std::move(doc));
  const crypto::Signature sig =
      crypto::ed25519_sign(seed, reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  json::Value s = json::Value::object();
  s.set("alg", "ed25519").set("key_id", key_id(crypto::ed25519_public_key(seed)));
  s.set("sig_b64", crypto::to_base64(sig.data(), sig.size()));
  doc.set(kSignature, std::move(s));
  return doc;
}

SealCheck check_seal(const json::Value& doc, const crypto::PublicKey& pk) {
  const json::Value* s = doc.find(kSignature);
  const json::Value* alg = s ? s->find("alg") : nullptr;
  const json::Value* kid = s ? s->find("key_id") : nullptr;
  const json::Value* b64 = s ? s->find("sig_b64") : nullptr;
  if (!alg || !kid || !b64 || !alg->is_string() || alg->as_string() != "ed25519" || !b64->is_string())
    return SealCheck::kNoSignature;
  if (!kid->is_string() || kid->as_string() != key_id(pk)) return SealCheck::kOtherKey;
  auto raw = crypto::from_base64(b64->as_string());
  if (!raw.ok() || raw->size() != crypto::Signature().size()) return SealCheck::kBadSignature;
  crypto::Signature sig;
  std::copy(raw->begin(), raw->end(), sig.begin());
  const std::string payload = seal_payload(doc);
  return crypto::ed25519_verify(pk, sig, reinterpret_cast<const uint8_t*>(payload.data()), payload.size())
             ? SealCheck::kValid
             : SealCheck::kBadSignature;
}

const char* seal_check_name(SealCheck c) {
  switch (c) {
    case SealCheck::kValid: return "valid";
    case SealCheck::kNoSignature: return "no_signature";
    case SealCheck::kOtherKey: return "other_key";
    case SealCheck::kBadSignature: break;
  }
  return "bad_signature";
}

}  // namespace flk::gate
