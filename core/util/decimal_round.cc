#include "util/decimal_round.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "json/fixed_text.h"
#include "json/number_format.h"
#include "json/read_decimal.h"
#include "util/exact_pow10.h"
#include "util/scaled_round.h"

namespace flk {

double round_exact(double x, int places) {
  if (!std::isfinite(x)) return x;
  // Python rounds as printf's "%.*f" (half-even on the exact value) then strtod. When those
  // digits n fit 2^53, n / 10^places is already strtod's double: n and 10^places are exact
  // doubles, one IEEE division rounds correctly, and it never meets a tie (a midpoint would need
  // 5^places to divide n, which makes the quotient exact).
  uint64_t n;
  if (scaled_round(x, places, &n) && n < uint64_t{1} << 53) {
    const double r = static_cast<double>(n) / kExactPow10[places];
    return std::signbit(x) ? -r : r;
  }
  std::string text;
  json::append_fixed(text, x, places);
  double r;
  json::read_decimal(text, &r);
  return r;
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
  const double r = json::digits_to_double(kept, exp10 + 1 - static_cast<int>(kept.size()));
  return x < 0 ? -r : r;
}

}  // namespace flk
