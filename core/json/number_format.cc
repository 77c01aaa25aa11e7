// Python repr of doubles. The digits come from Grisu3 (json/grisu_shortest.h: 64-bit integer
// arithmetic, identical in all three builds), which proves its answer shortest and closest for
// about 99.5% of random doubles; the rest take exact_shortest below (big integers).
#include "json/number_format.h"

#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "json/exact_digits.h"
#include "json/grisu_shortest.h"
#include "json/read_decimal.h"

namespace flk::json {

namespace {

// x = all * 10^-frac exactly, rounded half to even to p significant digits (printf's %.*e),
// e.g. p = 3, x = 0.01234 -> ("123", -2).
void rounded_digits(const std::string& all, int frac, int p, std::string& digits, int& exp10) {
  digits = all;
  exp10 = static_cast<int>(all.size()) - 1 - frac;
  if (!round_digits_half_even(digits, static_cast<size_t>(p))) {
    digits.insert(0, 1, '1');
    digits.pop_back();
    ++exp10;
  }
}

double value_of(const std::string& digits, int exp10) {
  return digits_to_double(digits, exp10 - static_cast<int>(digits.size()) + 1);
}

// Adds one unit in the last place to a digit string; returns false on carry-out ("99" -> "100").
bool increment(std::string& digits) {
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return true;
    }
    digits[i] = '0';
  }
  return false;
}

// The exact slow route for the rare doubles Grisu3 declines: x's exact decimal digits rounded
// as printf's %.*e would and read back as strtod would (Emscripten's libc++ has no floating
// std::to_chars).
void exact_shortest(double x, std::string& digits, int& exp10) {
  std::string all;
  int frac;
  exact_decimal(x, all, frac);
  // 17 digits always round-trip, and once p digits do, so do p + 1. Most doubles that Grisu3
  // declines need 16 or 17, so counting down from 17 takes two or three tries where a binary
  // search over 1..17 takes five.
  int lo = 17;
  std::string d;
  int e;
  bool shorter = false;
  while (lo > 1) {
    rounded_digits(all, frac, lo - 1, d, e);
    if (value_of(d, e) != x) break;
    --lo;
    digits.swap(d);
    exp10 = e;
    shorter = true;
  }
  if (!shorter) rounded_digits(all, frac, 17, digits, exp10);
  // At a power of two the interval that reads back as x is twice as wide above x as below, so
  // one digit fewer may work from the next decimal above the correctly rounded one.
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  if (lo > 1 && (u & 0x000FFFFFFFFFFFFFull) == 0) {
    rounded_digits(all, frac, lo - 1, d, e);
    if (value_of(d, e) < x) {
      if (!increment(d)) {
        d = "1" + std::string(d.size() - 1, '0');
        ++e;
      }
      if (value_of(d, e) == x) {
        digits = d;
        exp10 = e;
      }
    }
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

}  // namespace

void shortest_digits(double x, std::string& digits, int& exp10) {
  if (!grisu_shortest(x, digits, exp10)) exact_shortest(x, digits, exp10);
}

void append_double(std::string& out, double x) {
  if (x == 0) {
    out += std::signbit(x) ? "-0.0" : "0.0";
    return;
  }
  bool neg = x < 0;
  std::string digits;
  int exp10;
  shortest_digits(std::fabs(x), digits, exp10);
  if (neg) out += '-';
  if (exp10 >= -4 && exp10 < 16) {
    int point = exp10 + 1;  // digits before the decimal point
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
      out += digits;
      out.append(static_cast<size_t>(point) - digits.size(), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<size_t>(point));
      out += '.';
      out.append(digits, static_cast<size_t>(point), std::string::npos);
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out.append(digits, 1, std::string::npos);
  }
  out += 'e';
  out += exp10 < 0 ? '-' : '+';
  int a = std::abs(exp10);
  if (a < 10) out += '0';
  out += std::to_string(a);
}

std::string format_double(double x) {
  std::string s;
  append_double(s, x);
  return s;
}

}  // namespace flk::json
