#include "util/decimal.h"

#include <string>

namespace flk {
namespace {

constexpr int kMaxDigits = 400;    // significant digits kept from the text
constexpr int kMaxExponent = 400;  // |exponent| accepted; anything larger is out of range or zero

Error bad(std::string_view text) {
  return make_error("bad_decimal", "\"" + std::string(text.substr(0, 40)) + "\" is not a decimal number");
}

Error too_large(std::string_view text) {
  return make_error("out_of_range", "\"" + std::string(text.substr(0, 40)) + "\" does not fit at this precision");
}

}  // namespace

Result<int64_t> parse_decimal(std::string_view text, int scale, bool* rounded) {
  if (rounded) *rounded = false;
  size_t i = 0, n = text.size();
  bool neg = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  // value = 0.d1d2…dk × 10^int_digits, with digits free of leading zeros.
  std::string digits;
  long int_digits = 0;
  bool any = false, after_point = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c == '.' && !after_point) {
      after_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any = true;
    if (digits.empty() && c == '0') {
      if (after_point) --int_digits;
      continue;
    }
    if (static_cast<int>(digits.size()) >= kMaxDigits) return bad(text);
    digits.push_back(c);
    if (!after_point) ++int_digits;
  }
  if (!any) return bad(text);
  long exp10 = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
    if (i >= n) return bad(text);
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      exp10 = exp10 * 10 + (text[i] - '0');
      if (exp10 > kMaxExponent) return too_large(text);
    }
    if (eneg) exp10 = -exp10;
  }
  if (i != n) return bad(text);
  if (digits.empty()) return int64_t{0};
  // The first k mantissa digits land at or above 10^-scale; the rest are rounded away.
  const long k = int_digits + exp10 + scale;
  const long len = static_cast<long>(digits.size());
  const uint64_t limit = static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0);
  uint64_t v = 0;
  for (long j = 0; j < k; ++j) {
    int dgt = j < len ? digits[j] - '0' : 0;
    if (v > (limit - dgt) / 10) return too_large(text);
    v = v * 10 + dgt;
  }
  if (k < len) {
    long from = k < 0 ? 0 : k;
    bool nonzero = false;
    for (long j = from; j < len && !nonzero; ++j) nonzero = digits[j] != '0';
    if (rounded && nonzero) *rounded = true;
    bool up = false;
    if (k >= 0) {  // when k < 0 the first dropped digit is an implied zero: round down
      int first = digits[k] - '0';
      bool rest = false;
      for (long j = k + 1; j < len && !rest; ++j) rest = digits[j] != '0';
      up = first > 5 || (first == 5 && (rest || (v & 1)));
    }
    if (up) {
      if (v >= limit) return too_large(text);
      ++v;
    }
  }
  if (neg) return v == limit ? INT64_MIN : -static_cast<int64_t>(v);
  return static_cast<int64_t>(v);
}

std::string format_decimal(int64_t v, int scale, int min_frac) {
  bool neg = v < 0;
  uint64_t u = neg ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string d = std::to_string(u);
  if (static_cast<int>(d.size()) <= scale) d.insert(0, static_cast<size_t>(scale) + 1 - d.size(), '0');
  std::string ip = d.substr(0, d.size() - static_cast<size_t>(scale));
  std::string fp = d.substr(d.size() - static_cast<size_t>(scale));
  while (static_cast<int>(fp.size()) > min_frac && !fp.empty() && fp.back() == '0') fp.pop_back();
  while (static_cast<int>(fp.size()) < min_frac) fp.push_back('0');
  std::string out = neg && (u != 0) ? "-" : "";
  out += ip;
  if (!fp.empty()) out += "." + fp;
  return out;
}

}  // namespace flk
