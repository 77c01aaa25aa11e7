#include "crypto/ed25519.h"

#include <sodium.h>

namespace flk::crypto {
namespace {

struct Keypair {
  PublicKey pk;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk;
  ~Keypair() { sodium_memzero(sk.data(), sk.size()); }
};

void derive(const Seed& seed, Keypair& kp) { crypto_sign_seed_keypair(kp.pk.data(), kp.sk.data(), seed.data()); }

}  // namespace

PublicKey ed25519_public_key(const Seed& seed) {
  Keypair kp;
  derive(seed, kp);
  return kp.pk;
}

Signature ed25519_sign(const Seed& seed, const uint8_t* msg, size_t n) {
  Keypair kp;
  derive(seed, kp);
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, msg, n, kp.sk.data());
  return sig;
}

bool ed25519_verify(const PublicKey& pk, const Signature& sig, const uint8_t* msg, size_t n) {
  return crypto_sign_verify_detached(sig.data(), msg, n, pk.data()) == 0;
}

}  // namespace flk::crypto
