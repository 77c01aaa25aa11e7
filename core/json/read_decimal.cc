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

using u128 = unsigned __int128;

// The point halfway between the double of `bits` (m * 2^e) and the next one up: (2m + 1) * 2^f.
uint64_t halfway(uint64_t bits, int* f) {
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) m |= uint64_t{1} << 52, e = biased - 1075;
  *f = e - 1;
  return 2 * m + 1;
}

// The exact value is scaled * 2^exp2 / pow5: compared with the point halfway above `bits`.
int compare_halfway(const BigUint& scaled, int exp2, const BigUint& pow5, uint64_t bits) {
  int f;
  BigUint left = scaled, right(halfway(bits, &f));
  right.mul(pow5);
  if (exp2 >= f) left.shift_left(exp2 - f);
  else right.shift_left(f - exp2);
  return compare(left, right);
}

// a * 2^ea against b * 2^eb (a, b > 0) in 128 bits: a shift past the top decides by itself.
int compare_shifted(u128 a, int ea, u128 b, int eb) {
  if (ea < eb) return -compare_shifted(b, eb, a, ea);
  const int s = ea - eb;
  if (s > 0 && (s >= 128 || a >> (128 - s) != 0)) return 1;
  a <<= s;
  return a < b ? -1 : a > b;
}

// x ~ top * 2^shift with top the leading 64 bits of x.
double approx(u128 x) {
  int shift = 0;
  for (; x >> 64 != 0; x >>= 1) ++shift;
  return std::ldexp(static_cast<double>(static_cast<uint64_t>(x)), shift);
}

// Steps from an estimate within a few units to the double nearest the exact value, ties to the
// even one; cmp(bits) compares the value with the point halfway above the double of `bits`.
template <class Compare>
double nearest(double estimate, Compare cmp) {
  double z = std::min(estimate, std::numeric_limits<double>::max());
  uint64_t bits;
  std::memcpy(&bits, &z, sizeof bits);
  constexpr uint64_t kInfBits = uint64_t{0x7ff} << 52;
  while (bits != kInfBits) {
    const int up = cmp(bits);
    if (up > 0 || (up == 0 && (bits & 1))) {
      ++bits;
      continue;
    }
    if (bits == 0) break;
    const int down = cmp(bits - 1);
    if (down < 0 || (down == 0 && (bits & 1))) {
      --bits;
      continue;
    }
    break;
  }
  std::memcpy(&z, &bits, sizeof z);
  return z;
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
  if (digits.size() <= 19 && exp10 >= -27 && exp10 <= 27) {
    uint64_t w = 0;
    for (char c : digits) w = w * 10 + static_cast<unsigned>(c - '0');
    const int e = static_cast<int>(exp10);
    if (w < uint64_t{1} << 53 && e >= -22 && e <= 22) {
      // Clinger's fast path (as in json/decimal_double.h): an exact whole number below 2^53 and
      // an exact power of ten, so one IEEE operation rounds correctly.
      const double d = static_cast<double>(w);
      return e < 0 ? d / kExactPow10[-e] : d * kExactPow10[e];
    }
    // The same steps as below in 128-bit integers: w * 5^e < 2^127, (2m + 1) * 5^-e < 2^117.
    uint64_t pow5 = 1;
    for (int k = 0; k < (e < 0 ? -e : e); ++k) pow5 *= 5;
    const u128 scaled = e >= 0 ? u128{w} * pow5 : u128{w};
    const uint64_t divisor = e >= 0 ? 1 : pow5;
    return nearest(std::ldexp(approx(scaled) / static_cast<double>(divisor), e), [&](uint64_t bits) {
      int f;
      const uint64_t h = halfway(bits, &f);
      return compare_shifted(scaled, e, u128{h} * divisor, f);
    });
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
  return nearest(std::ldexp(a / b, ss - sp + e), [&](uint64_t bits) { return compare_halfway(scaled, e, pow5, bits); });
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
