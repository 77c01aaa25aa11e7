#include "json/exact_digits.h"

#include <cstdint>
#include <cstring>

#include "util/big_uint.h"

namespace flk::json {

void exact_decimal(double x, std::string& digits, int& frac) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) m |= uint64_t{1} << 52, e = biased - 1075;
  BigUint b(m);
  frac = 0;
  if (e >= 0) {
    b.shift_left(e);
  } else {  // m / 2^-e = m * 5^-e / 10^-e
    b.mul_pow5(-e);
    frac = -e;
  }
  digits = b.decimal();
}

bool round_digits_half_even(std::string& digits, size_t keep) {
  if (digits.size() <= keep) {
    digits.append(keep - digits.size(), '0');
    return true;
  }
  const char next = digits[keep];
  const bool up = next > '5' ||
                  (next == '5' && (digits.find_first_not_of('0', keep + 1) != std::string::npos || (digits[keep - 1] - '0') % 2 == 1));
  digits.resize(keep);
  if (!up) return true;
  for (size_t i = keep; i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return true;
    }
    digits[i] = '0';
  }
  return false;
}

}  // namespace flk::json
