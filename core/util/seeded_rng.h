// A seeded pseudo-random generator whose every draw is the same on every build: xoshiro256**
// seeded through SplitMix64, with uniform and Gaussian draws written from its raw 64-bit output
// (the <random> distributions differ between libstdc++ and libc++, see docs/determinism.md).
#pragma once
#include <cstdint>

namespace flk {

// SplitMix64 step: a good 64-bit mixer, also used to derive independent seeds.
uint64_t splitmix64(uint64_t& state);
// Mixes two words into one seed (e.g. a model seed and an epoch number).
uint64_t mix_seed(uint64_t a, uint64_t b);

class SeededRng {
 public:
  explicit SeededRng(uint64_t seed);
  uint64_t next();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, n), n >= 1, without modulo bias.
  uint64_t below(uint64_t n);
  // Standard normal (Marsaglia's polar method with dm::log and dm::sqrt).
  double normal();

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace flk
