#include "util/seeded_rng.h"

#include "math/dmath.h"

namespace flk {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t mix_seed(uint64_t a, uint64_t b) {
  uint64_t s = a;
  uint64_t x = splitmix64(s);
  s = x ^ b;
  return splitmix64(s);
}

SeededRng::SeededRng(uint64_t seed) {
  uint64_t s = seed;
  for (uint64_t& w : s_) w = splitmix64(s);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t SeededRng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double SeededRng::uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

uint64_t SeededRng::below(uint64_t n) {
  // Rejection from the largest multiple of n that fits in 2^64.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    uint64_t x = next();
    if (x < limit) return x % n;
  }
}

double SeededRng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  for (;;) {
    double u = 2.0 * uniform() - 1.0, v = 2.0 * uniform() - 1.0;
    double s = u * u + v * v;
    if (s >= 1.0 || s == 0.0) continue;
    double f = dm::sqrt(-2.0 * dm::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }
}

}  // namespace flk
