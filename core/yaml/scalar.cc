#include "yaml/scalar.h"

#include <cmath>
#include <limits>
#include <string>

#include "json/decimal_double.h"

namespace flk::yaml {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (s == w) return true;
  return false;
}

// [-+]?[0-9]+
bool is_decimal(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (!digit(s[i])) return false;
  return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// 0o[0-7]+ or 0x[0-9a-fA-F]+, answered as the digits' base (0 when neither).
int radix_of(std::string_view s) {
  if (s.size() < 3 || s[0] != '0') return 0;
  const int base = s[1] == 'o' ? 8 : s[1] == 'x' ? 16 : 0;
  if (!base) return 0;
  for (size_t i = 2; i < s.size(); ++i) {
    const int d = hex_value(s[i]);
    if (d < 0 || d >= base) return 0;
  }
  return base;
}

Result<json::Value> number(std::string_view s) {
  // Integers that fit int64 are Int and every other number a Double, as in json::parse (the same
  // decimal_to_double), so every build reads the same double.
  if (is_decimal(s)) {
    const bool minus = s[0] == '-';
    uint64_t u = 0;
    bool fits = true;
    for (size_t i = (s[0] == '-' || s[0] == '+'); i < s.size() && fits; ++i) {
      const unsigned d = static_cast<unsigned>(s[i] - '0');
      if (u > (std::numeric_limits<uint64_t>::max() - d) / 10) fits = false;
      else u = u * 10 + d;
    }
    if (fits && !minus && u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return json::Value(static_cast<int64_t>(u));
    if (fits && minus && u <= uint64_t{1} << 63) return json::Value(static_cast<int64_t>(0 - u));
  }
  double d;
  json::decimal_to_double(s, &d);  // resolve_plain only calls this on text that is a number
  if (!std::isfinite(d))
    return make_error("bad_yaml", "the number " + std::string(s) + " is beyond the range of a double");
  return json::Value(d);
}

}  // namespace

Result<json::Value> resolve_plain(std::string_view s) {
  if (one_of(s, {"", "~", "null", "Null", "NULL"})) return json::Value();
  if (one_of(s, {"true", "True", "TRUE"})) return json::Value(true);
  if (one_of(s, {"false", "False", "FALSE"})) return json::Value(false);
  if (one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"}))
    return make_error("bad_yaml", s.back() == 'n' || s.back() == 'N' ? "not a number (.nan): values are finite, as in JSON"
                                                                  : "infinity (.inf): values are finite, as in JSON");
  if (const int base = radix_of(s)) {
    uint64_t u = 0;
    for (size_t i = 2; i < s.size(); ++i) {
      if (u > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - hex_value(s[i])) / base)
        return make_error("bad_yaml", "the integer " + std::string(s) + " is beyond int64");
      u = u * base + hex_value(s[i]);
    }
    return json::Value(static_cast<int64_t>(u));
  }
  if (is_decimal(s) || is_float(s)) return number(s);
  return json::Value(std::string(s));
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

// n hex digits after s[0]; -1 when they are not all there.
int64_t hex_digits(std::string_view s, size_t n) {
  if (s.size() < n + 1) return -1;
  int64_t v = 0;
  for (size_t i = 1; i <= n; ++i) {
    const int d = hex_value(s[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

Result<size_t> decode_escape(std::string_view s, std::string& out) {
  static constexpr std::string_view kFrom = "0abtvnfre \"/\\\t";
  static constexpr std::string_view kTo{"\0\a\b\t\v\n\f\r\x1b \"/\\\t", 14};
  if (s.empty()) return make_error("bad_yaml", "a backslash at the end of the text");
  if (const size_t k = kFrom.find(s[0]); k != std::string_view::npos) {
    out += kTo[k];
    return size_t{1};
  }
  uint32_t named = 0;
  switch (s[0]) {
    case 'N': named = 0x85; break;
    case '_': named = 0xA0; break;
    case 'L': named = 0x2028; break;
    case 'P': named = 0x2029; break;
    default: break;
  }
  if (named) {
    append_utf8(named, out);
    return size_t{1};
  }
  const size_t n = s[0] == 'x' ? 2 : s[0] == 'u' ? 4 : s[0] == 'U' ? 8 : 0;
  if (!n) return make_error("bad_yaml", std::string("unknown escape \\") + s[0]);
  int64_t cp = hex_digits(s, n);
  if (cp < 0) return make_error("bad_yaml", std::string("\\") + s[0] + " needs " + std::to_string(n) + " hex digits");
  size_t used = n + 1;
  if (cp >= 0xD800 && cp < 0xDC00 && s[0] == 'u' && s.size() > used + 1 && s[used] == '\\' && s[used + 1] == 'u') {
    const int64_t low = hex_digits(s.substr(used + 1), 4);
    if (low >= 0xDC00 && low < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      used += 6;
    }
  }
  if (cp >= 0xD800 && cp < 0xE000)
    return make_error("bad_yaml", "an escape of a lone surrogate (it has no UTF-8)");
  if (cp > 0x10FFFF) return make_error("bad_yaml", "an escape beyond U+10FFFF");
  append_utf8(static_cast<uint32_t>(cp), out);
  return used;
}

}  // namespace flk::yaml
