// Hashing, MAC and signature ops. Binary fields come as <name>_text (UTF-8), <name>_hex
// (lowercase or uppercase hex) or <name>_b64 (standard base64 with padding); results
// are given in both lowercase hex and base64.
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "facade/registry.h"
#include "json/fields.h"

namespace flk {
namespace {

constexpr size_t kMaxMessageBytes = 48u << 20;

template <size_t N>
json::Value both(const char* stem, const std::array<uint8_t, N>& b) {
  json::Value o = json::Value::object();
  o.set(std::string(stem) + "_hex", crypto::to_hex(b.data(), N));
  o.set(std::string(stem) + "_b64", crypto::to_base64(b.data(), N));
  return o;
}

template <size_t N>
Result<std::array<uint8_t, N>> fixed(json::ObjectReader& r, const char* stem) {
  FLK_ASSIGN(crypto::Bytes b, r.bytes(stem, /*allow_text=*/false));
  if (b.size() != N)
    return make_error("bad_length",
                      std::string(stem) + " must be " + std::to_string(N) + " bytes, got " + std::to_string(b.size()),
                      r.path_of(stem));
  std::array<uint8_t, N> a;
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

Result<crypto::Bytes> message(json::ObjectReader& r, const char* stem) {
  FLK_ASSIGN(crypto::Bytes m, r.bytes(stem));
  if (m.size() > kMaxMessageBytes)
    return make_error("too_large", std::string(stem) + " is larger than " + std::to_string(kMaxMessageBytes) + " bytes",
                      r.path_of(stem));
  return m;
}

Result<json::Value> op_sha256(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(crypto::Bytes m, message(r, "data"));
  FLK_TRY(r.finish());
  return both("digest", crypto::sha256(m.data(), m.size()));
}

Result<json::Value> op_hmac(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(crypto::Bytes key, r.bytes("key"));
  FLK_ASSIGN(crypto::Bytes m, message(r, "message"));
  FLK_TRY(r.finish());
  if (key.empty()) return make_error("bad_length", "the key must not be empty", "$.key");
  return both("mac", crypto::hmac_sha256(key, m.data(), m.size()));
}

Result<json::Value> op_keypair(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  bool given = r.optional("seed_hex") || r.optional("seed_b64");
  crypto::Seed seed;
  if (given) {
    FLK_ASSIGN(seed, fixed<32>(r, "seed"));
  } else {
    seed = crypto::random_seed();
  }
  FLK_TRY(r.finish());
  json::Value out = both("public_key", crypto::ed25519_public_key(seed));
  json::Value s = both("seed", seed);
  for (auto& m : s.as_object()) out.set(m.first, std::move(m.second));
  return out;
}

Result<json::Value> op_sign(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(crypto::Seed seed, fixed<32>(r, "seed"));
  FLK_ASSIGN(crypto::Bytes m, message(r, "message"));
  FLK_TRY(r.finish());
  return both("signature", crypto::ed25519_sign(seed, m.data(), m.size()));
}

Result<json::Value> op_verify(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(crypto::PublicKey pk, fixed<32>(r, "public_key"));
  FLK_ASSIGN(crypto::Signature sig, fixed<64>(r, "signature"));
  FLK_ASSIGN(crypto::Bytes m, message(r, "message"));
  FLK_TRY(r.finish());
  json::Value out = json::Value::object();
  out.set("valid", crypto::ed25519_verify(pk, sig, m.data(), m.size()));
  return out;
}

Result<json::Value> op_random(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(int64_t n, r.integer("bytes", 1, 4096));
  FLK_TRY(r.finish());
  crypto::Bytes b = crypto::random_bytes(static_cast<size_t>(n));
  json::Value out = json::Value::object();
  out.set("hex", crypto::to_hex(b)).set("b64", crypto::to_base64(b));
  return out;
}

}  // namespace

void add_crypto_ops(std::vector<OpSpec>& t) {
  t.push_back({"crypto.sha256", "SHA-256 of data_text | data_hex | data_b64.",
               "{ data_text?: string; data_hex?: string; data_b64?: string }",
               "{ digest_hex: string; digest_b64: string }", op_sha256});
  t.push_back({"crypto.hmac_sha256", "HMAC-SHA256 (RFC 2104) of a message under a key.",
               "{ key_text?: string; key_hex?: string; key_b64?: string; message_text?: string; message_hex?: string; "
               "message_b64?: string }",
               "{ mac_hex: string; mac_b64: string }", op_hmac});
  t.push_back({"crypto.random", "Random bytes from the host's secure generator (libsodium randombytes).",
               "{ bytes: number }", "{ hex: string; b64: string }", op_random});
  t.push_back({"crypto.ed25519_keypair", "Ed25519 key pair from a 32-byte seed, or from a fresh random seed.",
               "{ seed_hex?: string; seed_b64?: string }",
               "{ public_key_hex: string; public_key_b64: string; seed_hex: string; seed_b64: string }", op_keypair});
  t.push_back({"crypto.ed25519_sign", "Ed25519 signature (RFC 8032, deterministic) of a message.",
               "{ seed_hex?: string; seed_b64?: string; message_text?: string; message_hex?: string; "
               "message_b64?: string }",
               "{ signature_hex: string; signature_b64: string }", op_sign});
  t.push_back({"crypto.ed25519_verify", "Checks an Ed25519 signature; valid is false for a wrong signature.",
               "{ public_key_hex?: string; public_key_b64?: string; signature_hex?: string; signature_b64?: string; "
               "message_text?: string; message_hex?: string; message_b64?: string }",
               "{ valid: boolean }", op_verify});
}

}  // namespace flk
