// IPv6 addresses (RFC 4291 text forms, RFC 5952 compression, a trailing dotted IPv4): maximal
// runs of hex digits, ':' and '.' that start and end a token, each parsed once.
#include "pii/chars.h"
#include "pii/detectors.h"

namespace flk::pii {
namespace {

constexpr size_t kMaxRun = 45;

bool run_byte(unsigned char c) { return is_hex(c) || c == ':' || c == '.'; }

bool dotted_quad(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t b = i;
    int v = 0;
    // At most one digit past the three a part may have: a longer run is refused, not accumulated
    // (ten digits overflowed v).
    while (i < s.size() && i - b <= 3 && is_digit(at(s, i))) v = v * 10 + (s[i++] - '0');
    if (i == b || i - b > 3 || v > 255 || (i - b > 1 && s[b] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

// Number of 16-bit groups written (an IPv4 tail counts two), or -1 when s is not an address.
// `compressed` tells whether "::" appeared.
int parse(std::string_view s, bool& compressed) {
  compressed = false;
  int groups = 0;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    compressed = true;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return -1;
  }
  while (i < s.size()) {
    size_t b = i;
    while (i < s.size() && is_hex(at(s, i))) ++i;
    if (i < s.size() && s[i] == '.') return dotted_quad(s.substr(b)) ? groups + 2 : -1;
    if (i == b || i - b > 4) return -1;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return -1;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return -1;
      compressed = true;
      ++i;
    } else if (i == s.size()) {
      return -1;
    }
  }
  return groups;
}

}  // namespace

void scan_ipv6(std::string_view t, Findings& out) {
  size_t i = 0;
  while (i < t.size()) {
    if (!run_byte(at(t, i)) || (i > 0 && (is_word(at(t, i - 1)) || t[i - 1] == ':'))) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < t.size() && run_byte(at(t, e))) ++e;
    size_t end = e;
    while (end > i && t[end - 1] == '.') --end;  // a sentence's full stop
    std::string_view s = t.substr(i, end - i);
    bool compressed = false;
    int groups = s.size() <= kMaxRun && (end == t.size() || !is_word(at(t, end))) ? parse(s, compressed) : -1;
    bool colons = s.find(':') != std::string_view::npos;
    bool has_digit = false;
    for (unsigned char c : s) has_digit = has_digit || is_digit(c);
    if (colons && has_digit && ((!compressed && groups == 8) || (compressed && groups >= 2 && groups <= 7) ||
                                s == "::1"))
      out.push_back({Kind::Ipv6, i, end, compressed ? 0.8 : 0.9, compressed ? "rfc5952_compressed" : "eight_groups"});
    i = e;
  }
}

}  // namespace flk::pii
