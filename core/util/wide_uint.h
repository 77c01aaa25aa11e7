// Exact unsigned integers wider than 64 bits, for products that are divided and rounded once
// (tokens × price / 10^6, bytes × milliseconds × price / (GiB × month)). Built from 32-bit
// limbs: the WASI toolchain's 128-bit division helpers do not link, and every build must agree.
#pragma once
#include <cstdint>

namespace flk {

class WideUint {
 public:
  static constexpr int kLimbs = 8;  // 256 bits

  explicit WideUint(uint64_t v = 0);

  // *this *= m. Returns false (and leaves garbage) on overflow past 256 bits.
  bool mul(uint64_t m);
  // *this /= d (d > 0); returns the remainder.
  uint32_t divmod(uint32_t d);
  bool fits_u64() const;
  uint64_t low64() const;
  bool is_zero() const;

 private:
  uint32_t limb_[kLimbs];
};

// round_half_even(num / (d · 2^shift)) into *out. Preconditions: d > 0, shift <= 31.
// Returns false when the quotient exceeds INT64_MAX.
bool div_round_half_even(WideUint num, uint32_t d, unsigned shift, int64_t* out);

}  // namespace flk
