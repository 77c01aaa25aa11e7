#include "json/fixed_text.h"

#include <cmath>
#include <cstdint>

#include "json/exact_digits.h"
#include "util/scaled_round.h"

namespace flk::json {

void append_fixed(std::string& out, double x, int places) {
  if (std::signbit(x)) out += '-';
  if (std::isnan(x) || std::isinf(x)) {
    out += std::isnan(x) ? "nan" : "inf";
    return;
  }
  const double a = std::fabs(x);
  const size_t p = static_cast<size_t>(places);
  uint64_t n;
  std::string d;  // the digits of |x| * 10^places rounded, without the point
  if (scaled_round(a, places, &n)) {
    d = std::to_string(n);
  } else {
    int frac;
    exact_decimal(a, d, frac);
    if (places >= frac) {
      d.append(p - static_cast<size_t>(frac), '0');
    } else {
      const size_t cut = static_cast<size_t>(frac) - p;
      if (d.size() <= cut) d.insert(0, cut + 1 - d.size(), '0');
      if (!round_digits_half_even(d, d.size() - cut)) d.insert(0, 1, '1');
    }
  }
  if (d.size() <= p) d.insert(0, p + 1 - d.size(), '0');
  out.append(d, 0, d.size() - p);
  if (places > 0) {
    out += '.';
    out.append(d, d.size() - p, std::string::npos);
  }
}

}  // namespace flk::json
