#include "util/wide_uint.h"

namespace flk {

WideUint::WideUint(uint64_t v) {
  for (uint32_t& l : limb_) l = 0;
  limb_[0] = static_cast<uint32_t>(v);
  limb_[1] = static_cast<uint32_t>(v >> 32);
}

bool WideUint::mul(uint64_t m) {
  // Two passes of a 32-bit multiplier: *this * lo + (*this * hi) << 32.
  uint32_t lo = static_cast<uint32_t>(m), hi = static_cast<uint32_t>(m >> 32);
  uint32_t out[kLimbs + 2] = {};
  for (int pass = 0; pass < 2; ++pass) {
    uint64_t f = pass == 0 ? lo : hi;
    if (f == 0) continue;
    uint64_t carry = 0;
    for (int i = 0; i < kLimbs; ++i) {
      uint64_t t = static_cast<uint64_t>(limb_[i]) * f + out[i + pass] + carry;
      out[i + pass] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    for (int i = kLimbs + pass; carry && i < kLimbs + 2; ++i) {
      uint64_t t = out[i] + carry;
      out[i] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
  }
  for (int i = 0; i < kLimbs; ++i) limb_[i] = out[i];
  return out[kLimbs] == 0 && out[kLimbs + 1] == 0;
}

uint32_t WideUint::divmod(uint32_t d) {
  uint64_t rem = 0;
  for (int i = kLimbs - 1; i >= 0; --i) {
    uint64_t cur = (rem << 32) | limb_[i];
    limb_[i] = static_cast<uint32_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint32_t>(rem);
}

bool WideUint::fits_u64() const {
  for (int i = 2; i < kLimbs; ++i)
    if (limb_[i]) return false;
  return true;
}

uint64_t WideUint::low64() const { return (static_cast<uint64_t>(limb_[1]) << 32) | limb_[0]; }

bool WideUint::is_zero() const {
  for (uint32_t l : limb_)
    if (l) return false;
  return true;
}

bool div_round_half_even(WideUint num, uint32_t d, unsigned shift, int64_t* out) {
  // num = q0·2^shift + r0 and q0 = q·d + r1, so num = q·(d·2^shift) + (r1·2^shift + r0).
  uint64_t r0 = shift ? num.divmod(uint32_t{1} << shift) : 0;
  uint64_t r1 = num.divmod(d);
  if (!num.fits_u64()) return false;
  uint64_t q = num.low64();
  uint64_t rem = (r1 << shift) + r0;
  uint64_t divisor = static_cast<uint64_t>(d) << shift;  // <= 2^63, so 2·rem cannot wrap
  if (rem * 2 > divisor || (rem * 2 == divisor && (q & 1))) ++q;
  if (q > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = static_cast<int64_t>(q);
  return true;
}

}  // namespace flk
