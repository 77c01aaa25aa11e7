#include "json/decimal_double.h"

#include <cstdint>
#include "json/read_decimal.h"
#include "util/exact_pow10.h"

namespace flk::json {
namespace {

constexpr uint64_t kMaxExactMantissa = uint64_t{1} << 53;

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool decimal_to_double_fast(std::string_view text, double* out) {
  size_t i = 0;
  const size_t n = text.size();
  const bool minus = i < n && text[i] == '-';
  i += minus;
  uint64_t w = 0;
  int digits = 0;  // significant digits taken into w (leading zeros are not)
  int exp10 = 0;
  auto take = [&](char c) {
    if (w == 0 && c == '0') return true;
    if (++digits > 19) return false;  // w could overflow: leave it to the slow path
    w = w * 10 + static_cast<unsigned>(c - '0');
    return true;
  };
  int seen = 0;  // digits of the mantissa, leading zeros included
  for (; i < n && digit(text[i]); ++i, ++seen)
    if (!take(text[i])) return false;
  if (i < n && text[i] == '.') {
    for (++i; i < n && digit(text[i]); ++i, ++seen) {
      if (!take(text[i])) return false;
      --exp10;
    }
  }
  if (seen == 0) return false;  // "", "-", ".": strtod reads no number there
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool negative = i < n && text[i] == '-';
    i += i < n && (text[i] == '-' || text[i] == '+');
    const size_t exponent_at = i;
    int e = 0;
    for (; i < n && digit(text[i]); ++i) {
      if (e > 1000) return false;  // far outside the fast path either way
      e = e * 10 + (text[i] - '0');
    }
    if (i == exponent_at) return false;  // "1e", "1e+": strtod stops before the 'e'
    exp10 += negative ? -e : e;
  }
  if (i != n || w > kMaxExactMantissa) return false;
  double d = static_cast<double>(w);
  if (w != 0) {
    if (exp10 < -22 || exp10 > 22) return false;
    d = exp10 < 0 ? d / kExactPow10[-exp10] : d * kExactPow10[exp10];
  }
  *out = minus ? -d : d;
  return true;
}

bool decimal_to_double(std::string_view text, double* out) {
  if (decimal_to_double_fast(text, out)) return true;
  return !text.empty() && read_decimal(text, out) == text.size();
}

}  // namespace flk::json
