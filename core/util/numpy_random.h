// numpy's legacy RandomState, bit for bit: MT19937 seeded with init_genrand(seed), 53-bit
// uniform doubles from two outputs, and the polar Box–Muller Gaussian that caches the second
// value of each accepted pair. The PCS coh★ directions are drawn with it (spec §2.3).
#pragma once
#include <array>
#include <cstdint>

namespace flk {

class NumpyRandom {
 public:
  explicit NumpyRandom(uint32_t seed);
  uint32_t next_u32();
  double uniform();   // [0, 1)
  double gauss();     // standard normal (legacy_gauss)

 private:
  void twist();
  std::array<uint32_t, 624> mt_;
  int index_ = 624;
  bool has_gauss_ = false;
  double gauss_ = 0;
};

}  // namespace flk
