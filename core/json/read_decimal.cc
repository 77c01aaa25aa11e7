#include "json/read_decimal.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "util/big_uint.h"
#include "util/exact_pow10.h"

namespace flk::json {
namespace {

// A double's halfway point never has more than 767 significant digits, so digits past these
// can only matter as "something nonzero follows", which one digit 1 stands for.
constexpr size_t kMaxDigits = 780;

bool digit(char c) { return c >= '0' && c <= '9'; }

// The exact value is scaled * 2^exp2 / pow5. Compares it with the point halfway between the
// double of `bits` and the next one up, (2m + 1) * 2^(e - 1) for bits = m * 2^e.
int compare_halfway(const BigUint& scaled, int exp2, const BigUint& pow5, uint64_t bits) {
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) m |= uint64_t{1} << 52, e = biased - 1075;
  BigUint left = scaled, right(2 * m + 1);
  right.mul(pow5);
  const int f = e - 1;
  if (exp2 >= f) left.shift_left(exp2 - f);
  else right.shift_left(f - exp2);
  return compare(left, right);
}

}  // namespace

double digits_to_double(std::string_view digits, int64_t exp10) {
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) return 0.0;
  const size_t last = digits.find_last_not_of('0');
  exp10 += static_cast<int64_t>(digits.size() - 1 - last);
  digits = digits.substr(first, last + 1 - first);
  const int64_t lead = exp10 + static_cast<int64_t>(digits.size()) - 1;  // x = d.ddd * 10^lead
  if (lead > 309) return std::numeric_limits<double>::infinity();
  if (lead < -343) return 0.0;  // below 1e-343, far under half the smallest subnormal
  if (digits.size() <= 15 && exp10 >= -22 && exp10 <= 22) {
    // Clinger's fast path (as in json/decimal_double.h): an exact whole number below 2^53 and
    // an exact power of ten, so one IEEE operation rounds correctly.
    uint64_t w = 0;
    for (char c : digits) w = w * 10 + static_cast<unsigned>(c - '0');
    const double d = static_cast<double>(w);
    return exp10 < 0 ? d / kExactPow10[-exp10] : d * kExactPow10[exp10];
  }
  std::string kept(digits.substr(0, kMaxDigits));
  if (digits.size() > kMaxDigits) {
    kept += '1';
    exp10 += static_cast<int64_t>(digits.size() - kMaxDigits) - 1;
  }
  BigUint scaled;
  for (size_t i = 0; i < kept.size(); i += 9) {
    const size_t n = std::min<size_t>(9, kept.size() - i);
    uint32_t chunk = 0, scale = 1;
    for (size_t k = 0; k < n; ++k) chunk = chunk * 10 + static_cast<uint32_t>(kept[i + k] - '0'), scale *= 10;
    scaled.mul_small(scale);
    scaled.add_small(chunk);
  }
  // 10^e = 5^e * 2^e: the value is scaled * 2^e / pow5 with one of scaled, pow5 holding 5^|e|.
  const int e = static_cast<int>(exp10);
  BigUint pow5(1);
  if (e >= 0) scaled.mul_pow5(e);
  else pow5.mul_pow5(-e);
  int ss, sp;
  const double a = static_cast<double>(scaled.top64(&ss)), b = static_cast<double>(pow5.top64(&sp));
  double z = std::min(std::ldexp(a / b, ss - sp + e), std::numeric_limits<double>::max());  // within a few units
  uint64_t bits;
  std::memcpy(&bits, &z, sizeof bits);
  constexpr uint64_t kInfBits = uint64_t{0x7ff} << 52;
  // Step to the nearest double, ties to the even one.
  while (bits != kInfBits) {
    const int up = compare_halfway(scaled, e, pow5, bits);
    if (up > 0 || (up == 0 && (bits & 1))) {
      ++bits;
      continue;
    }
    if (bits == 0) break;
    const int down = compare_halfway(scaled, e, pow5, bits - 1);
    if (down < 0 || (down == 0 && (bits & 1))) {
      --bits;
      continue;
    }
    break;
  }
  std::memcpy(&z, &bits, sizeof z);
  return z;
}

size_t read_decimal(std::string_view text, double* out) {
  size_t i = 0;
  const size_t n = text.size();
  const bool minus = i < n && text[i] == '-';
  i += i < n && (text[i] == '-' || text[i] == '+');
  std::string digits;
  int64_t exp10 = 0;
  for (; i < n && digit(text[i]); ++i) digits += text[i];
  if (i < n && text[i] == '.')
    for (++i; i < n && digit(text[i]); ++i, --exp10) digits += text[i];
  *out = 0;
  if (digits.empty()) return 0;
  size_t end = i;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool negative = i < n && text[i] == '-';
    i += i < n && (text[i] == '-' || text[i] == '+');
    const size_t exponent_at = i;
    int64_t e = 0;
    for (; i < n && digit(text[i]); ++i)
      if (e < 1000000000) e = e * 10 + (text[i] - '0');  // beyond this only 0 or inf are left
    if (i != exponent_at) {
      exp10 += negative ? -e : e;
      end = i;
    }
  }
  const double v = digits_to_double(digits, exp10);
  *out = minus ? -v : v;
  return end;
}

}  // namespace flk::json
