#include "util/decimal_round.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "json/number_format.h"
#include "util/exact_pow10.h"

namespace flk {

namespace {

constexpr uint64_t kPow5[] = {1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125};

// printf's "%.*f" then strtod in integers, for places <= 9 and |x| * 10^places a fraction below
// 2^53 (false otherwise). |x| = m * 2^e exactly, so |x| * 10^places = m * 5^places / 2^shift, rounded
// half-even to the integer n as printf does. n / 10^places is then the double strtod returns: n and
// 10^places are exact doubles, one IEEE division rounds correctly, and it never meets a tie (a
// midpoint would need 5^places to divide n, which makes the quotient exact). musl's printf and
// strtod work in software long double: this is most of their cost in the wasm builds.
bool round_exact_integer(double x, int places, double* out) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) m |= uint64_t{1} << 52, e = biased - 1075;
  const int shift = -(e + places);
  if (shift <= 0) return false;  // a whole number at this scale, possibly above 2^53
  using u128 = unsigned __int128;
  const u128 product = static_cast<u128>(m) * kPow5[places];  // below 2^74
  u128 n = 0;                                                  // shift >= 76: below 1/4, rounds to 0
  if (shift < 76) {
    n = product >> shift;
    const u128 rest = product - (n << shift), half = u128{1} << (shift - 1);
    n += rest > half || (rest == half && (n & 1));
    if (n >= u128{1} << 53) return false;
  }
  const double r = static_cast<double>(static_cast<uint64_t>(n)) / kExactPow10[places];
  *out = std::signbit(x) ? -r : r;
  return true;
}

}  // namespace

double round_exact(double x, int places) {
  if (!std::isfinite(x)) return x;
  double r;
  if (places >= 0 && places <= 9 && round_exact_integer(x, places, &r)) return r;
  // printf's %.Nf is correctly rounded (half-even on the exact value) in glibc and musl.
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return std::strtod(buf, nullptr);
}

double round_repr_half_up(double x, int places) {
  if (!std::isfinite(x) || x == 0) return x;
  std::string digits;
  int exp10;
  json::shortest_digits(std::fabs(x), digits, exp10);
  // x = 0.d1d2d3... * 10^(exp10 + 1); keep the digits up to 10^-places.
  int keep = exp10 + 1 + places;  // number of significant digits that survive
  if (keep >= static_cast<int>(digits.size())) return x;  // already short enough
  if (keep < 0) return std::signbit(x) ? -0.0 : 0.0;
  bool up = digits[static_cast<size_t>(keep)] >= '5';
  std::string kept = digits.substr(0, static_cast<size_t>(keep));
  if (up) {
    int i = keep - 1;
    for (; i >= 0 && kept[static_cast<size_t>(i)] == '9'; --i) kept[static_cast<size_t>(i)] = '0';
    if (i >= 0) ++kept[static_cast<size_t>(i)];
    else kept.insert(kept.begin(), '1'), ++exp10;
  }
  if (kept.empty()) kept = "0";
  std::string text = std::string(x < 0 ? "-" : "") + "0." + kept + "e" + std::to_string(exp10 + 1);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace flk
