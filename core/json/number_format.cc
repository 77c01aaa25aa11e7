#include "json/number_format.h"

#include <cstdint>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace flk::json {

namespace {

// Significant digits and decimal exponent of x rounded to p significant digits (printf's
// correctly rounded %.*e), e.g. p = 3, x = 0.01234 -> ("123", -2).
void rounded_digits(double x, int p, std::string& digits, int& exp10) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*e", p - 1, x);
  digits.clear();
  const char* c = buf;
  for (; *c && *c != 'e'; ++c)
    if (*c >= '0' && *c <= '9') digits += *c;
  exp10 = std::atoi(c + 1);
}

double value_of(const std::string& digits, int exp10) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c.%se%d", digits[0], digits.c_str() + 1, exp10);
  return std::strtod(buf, nullptr);
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

// Fast path for the common case of a value with few decimals (0.528320834, 12.5, 1e-05):
// the smallest k for which round(x * 10^k) / 10^k reads back as x gives the shortest digits.
// Division of two exact doubles is correctly rounded, so the round-trip test is exact; when a
// neighbouring integer also reads back (two shortest candidates), the slow path decides.
bool fast_shortest(double x, std::string& digits, int& exp10) {
  static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (!(x >= 1e-7 && x < kExact)) return false;
  for (int k = 0; k <= 22; ++k) {
    double t = x * kPow10[k];
    if (t >= kExact) return false;
    double y = std::nearbyint(t);
    if (y == 0 || y / kPow10[k] != x) continue;
    if ((y - 1) / kPow10[k] == x || (y + 1) / kPow10[k] == x) return false;
    digits = std::to_string(static_cast<int64_t>(y));
    exp10 = static_cast<int>(digits.size()) - 1 - k;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    return true;
  }
  return false;
}

}  // namespace

// Shortest digits that read back as x (x > 0), closest to x among those: what Python's repr,
// Ryu and Grisu-exact give. Uses only printf/strtod, which are exact in glibc and musl, since
// Emscripten's libc++ 14 has no floating-point std::to_chars.
void shortest_digits(double x, std::string& digits, int& exp10) {
  if (fast_shortest(x, digits, exp10)) return;
  // 17 digits always round-trip, and once p digits do, so do p + 1. Most doubles off the fast
  // path need 16 or 17, so counting down from 17 takes two or three tries where a binary search
  // over 1..17 takes five.
  int lo = 17;
  std::string d;
  int e;
  bool shorter = false;
  while (lo > 1) {
    rounded_digits(x, lo - 1, d, e);
    if (value_of(d, e) != x) break;
    --lo;
    digits.swap(d);
    exp10 = e;
    shorter = true;
  }
  if (!shorter) rounded_digits(x, 17, digits, exp10);
  // At a power of two the interval that reads back as x is twice as wide above x as below, so
  // one digit fewer may work from the next decimal above the correctly rounded one.
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  if (lo > 1 && (u & 0x000FFFFFFFFFFFFFull) == 0) {
    rounded_digits(x, lo - 1, d, e);
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
