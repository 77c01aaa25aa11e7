#include "util/scaled_round.h"

#include <cstring>

namespace flk {

bool scaled_round(double x, int places, uint64_t* n) {
  constexpr uint64_t kPow5[] = {1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125};
  if (places < 0 || places > 9) return false;
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  if (biased == 0x7ff) return false;
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) m |= uint64_t{1} << 52, e = biased - 1075;
  // |x| * 10^places = m * 5^places * 2^(e + places) = product / 2^shift exactly.
  using u128 = unsigned __int128;
  const u128 product = static_cast<u128>(m) * kPow5[places];  // below 2^74
  const int shift = -(e + places);
  if (shift <= 0) {  // a whole number
    if (shift <= -64 || product >> (64 + shift) != 0) return false;
    *n = static_cast<uint64_t>(product << -shift);
    return true;
  }
  u128 r = 0;  // shift >= 76: below 1/4, rounds to 0
  if (shift < 76) {
    r = product >> shift;
    const u128 rest = product - (r << shift), half = u128{1} << (shift - 1);
    r += rest > half || (rest == half && (r & 1));
    if (r >> 64 != 0) return false;
  }
  *n = static_cast<uint64_t>(r);
  return true;
}

}  // namespace flk
