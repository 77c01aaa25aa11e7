// E-mail addresses, found from each '@': the local part is read backwards (at most 64 bytes, the
// RFC 5321 limit) and the domain forwards (at most 253 bytes). Neither side can cross another
// '@', so every byte is read at most twice and "a@a@a@..." stays linear.
#include "pii/chars.h"
#include "pii/detectors.h"

namespace flk::pii {
namespace {

constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;

bool local_byte(unsigned char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

// Start of the local part ending at `at_pos`, or at_pos when there is none.
size_t local_start(std::string_view t, size_t at_pos) {
  size_t b = at_pos;
  while (b > 0 && at_pos - b < kMaxLocal && local_byte(at(t, b - 1))) --b;
  if (b > 0 && at_pos - b == kMaxLocal && local_byte(at(t, b - 1))) return at_pos;  // longer than allowed
  while (b < at_pos && (t[b] == '.' || t[b] == '\'' || t[b] == '-')) ++b;
  if (b > 0 && is_word(at(t, b - 1))) return at_pos;  // glued to non-ASCII text
  return b;
}

// End of a dotted domain starting at `from`, with a letter-only TLD of two or more, or `from`.
size_t domain_end(std::string_view t, size_t from) {
  size_t i = from, good = from, labels = 0;
  while (i < t.size() && i - from < kMaxDomain) {
    size_t l = i;
    while (i < t.size() && i - from < kMaxDomain && (is_alnum(at(t, i)) || t[i] == '-')) ++i;
    if (i == l || t[l] == '-' || t[i - 1] == '-') break;
    ++labels;
    bool alpha_tld = i - l >= 2;
    for (size_t k = l; k < i && alpha_tld; ++k) alpha_tld = is_alpha(at(t, k));
    if (labels >= 2 && alpha_tld) good = i;
    if (i + 1 < t.size() && t[i] == '.' && is_alnum(at(t, i + 1))) {
      ++i;
    } else {
      break;
    }
  }
  if (good < t.size() && (is_word(at(t, good)) || t[good] == '@' || t[good] == '-')) return from;
  return good;
}

}  // namespace

void scan_emails(std::string_view t, Findings& out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '@') continue;
    size_t b = local_start(t, i);
    if (b == i || t[i - 1] == '.') continue;
    size_t e = domain_end(t, i + 1);
    if (e == i + 1) continue;
    std::string_view local = t.substr(b, i - b);
    if (local.find("..") != std::string_view::npos) continue;
    out.push_back({Kind::Email, b, e, 0.95, "local_at_dotted_domain"});
    i = e - 1;
  }
}

}  // namespace flk::pii
