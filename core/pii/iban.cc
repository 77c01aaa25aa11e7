// IBANs in electronic ("DE89370400440532013000") or print form (groups of four separated by one
// space). The country's registered length decides where the IBAN ends, and mod-97 must hold.
#include <string>

#include "pii/chars.h"
#include "pii/checks.h"
#include "pii/detectors.h"

namespace flk::pii {

void scan_ibans(std::string_view t, Findings& out) {
  std::string chars;
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if (!is_upper(at(t, i)) || !is_upper(at(t, i + 1)) || !is_digit(at(t, i + 2)) || !is_digit(at(t, i + 3)) ||
        !starts_token(t, i))
      continue;
    int len = iban_length(t[i], t[i + 1]);
    if (!len) continue;
    chars.clear();
    size_t j = i;
    bool spaced = false;
    while (j < t.size() && static_cast<int>(chars.size()) < len) {
      unsigned char c = at(t, j);
      if (is_upper(c) || is_digit(c)) {
        chars.push_back(static_cast<char>(c));
        ++j;
      } else if (c == ' ' && chars.size() % 4 == 0 && j + 1 < t.size() && is_alnum(at(t, j + 1))) {
        spaced = true;
        ++j;
      } else {
        break;
      }
    }
    if (static_cast<int>(chars.size()) != len || !ends_token(t, j) || !iban_mod97_ok(chars)) continue;
    out.push_back({Kind::Iban, i, j, 0.95, spaced ? "mod97_country_length_grouped" : "mod97_country_length"});
    i = j - 1;
  }
}

}  // namespace flk::pii
