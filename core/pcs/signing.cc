#include "pcs/signing.h"

#include "crypto/hash.h"
#include "pcs/canonical.h"

namespace flk::pcs {

Result<Key> read_key(const json::Value& v, const std::string& path, bool for_signing) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(std::string alg, r.string("alg", 16));
  Key key;
  if (alg == "hmac") {
    key.alg = Alg::Hmac;
    FLK_ASSIGN(key.secret, r.bytes("key"));
    if (key.secret.empty()) return make_error("bad_length", "the HMAC key must not be empty", r.path_of("key"));
  } else if (alg == "ed25519") {
    key.alg = Alg::Ed25519;
    const char* stem = for_signing ? "seed" : "public_key";
    FLK_ASSIGN(crypto::Bytes b, r.bytes(stem, /*allow_text=*/false));
    if (b.size() != 32)
      return make_error("bad_length", std::string(stem) + " must be 32 bytes, got " + std::to_string(b.size()),
                        r.path_of(stem));
    std::array<uint8_t, 32> a;
    std::copy(b.begin(), b.end(), a.begin());
    if (for_signing) key.seed = a;
    else key.public_key = a;
  } else {
    return make_error("out_of_range", r.path_of("alg") + " must be \"hmac\" or \"ed25519\"", r.path_of("alg"));
  }
  FLK_TRY(r.finish());
  return key;
}

std::string sign(const SignedSubset& s, const Key& key) {
  std::string payload = canonical_payload(s);
  const auto* p = reinterpret_cast<const uint8_t*>(payload.data());
  if (key.alg == Alg::Hmac) {
    crypto::Digest mac = crypto::hmac_sha256(key.secret, p, payload.size());
    return crypto::to_base64(mac.data(), mac.size());
  }
  crypto::Digest digest = crypto::sha256(payload);
  crypto::Signature sig = crypto::ed25519_sign(*key.seed, digest.data(), digest.size());
  return crypto::to_base64(sig.data(), sig.size());
}

std::string check_signature(const SignedSubset& s, const std::string& sig_b64, const Key& key) {
  if (sig_b64.empty()) return "signature is empty";
  auto sig = crypto::from_base64(sig_b64);
  if (!sig.ok()) return "signature is not standard base64";
  std::string payload = canonical_payload(s);
  const auto* p = reinterpret_cast<const uint8_t*>(payload.data());
  if (key.alg == Alg::Hmac) {
    if (sig->size() != 32) return "HMAC-SHA256 signature must be 32 bytes";
    crypto::Digest mac = crypto::hmac_sha256(key.secret, p, payload.size());
    return crypto::equal_ct(mac.data(), sig->data(), 32) ? "" : "HMAC-SHA256 signature does not match";
  }
  if (sig->size() != 64) return "Ed25519 signature must be 64 bytes";
  if (!key.public_key) return "no Ed25519 public key";
  crypto::Signature s64;
  std::copy(sig->begin(), sig->end(), s64.begin());
  crypto::Digest digest = crypto::sha256(payload);
  return crypto::ed25519_verify(*key.public_key, s64, digest.data(), digest.size()) ? ""
                                                                                   : "Ed25519 signature does not verify";
}

}  // namespace flk::pcs
