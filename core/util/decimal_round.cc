#include "util/decimal_round.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "json/number_format.h"

namespace flk {

double round_exact(double x, int places) {
  if (!std::isfinite(x)) return x;
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
