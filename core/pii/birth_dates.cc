// Dates of birth written with a month name ("June 16, 2000", "16 June 2000", "Jun 16 2000"),
// reported only after a birth word (after_birth_word). Numeric forms are handled in numbers.cc.
#include "pii/chars.h"
#include "pii/checks.h"
#include "pii/detectors.h"

namespace flk::pii {
namespace {

constexpr const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                   "july",    "august",   "september", "october", "november", "december"};

// Month number (1-12) of the word at i — the full name or its first three letters — and its end.
int month_at(std::string_view t, size_t i, size_t& end) {
  // Every month starts with one of these letters: most words leave here.
  if (std::string_view("jfmasond").find(static_cast<char>(to_lower(at(t, i)))) == std::string_view::npos) return 0;
  size_t e = i;
  while (e < t.size() && e - i < 10 && is_alpha(at(t, e))) ++e;
  if (e - i < 3 || (e < t.size() && is_word(at(t, e)))) return 0;
  for (int m = 0; m < 12; ++m) {
    std::string_view name = kMonths[m];
    if (e - i != 3 && e - i != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < e - i && same; ++k) same = to_lower(at(t, i + k)) == static_cast<unsigned char>(name[k]);
    if (same) {
      end = e + (e < t.size() && t[e] == '.' && e - i == 3 ? 1 : 0);
      return m + 1;
    }
  }
  return 0;
}

// Digits at i (at most `max`), their value and end; 0 digits read means none.
size_t number_at(std::string_view t, size_t i, size_t max, int& value) {
  size_t e = i;
  value = 0;
  while (e < t.size() && e - i < max && is_digit(at(t, e))) value = value * 10 + (t[e++] - '0');
  if (e < t.size() && is_digit(at(t, e))) return 0;
  return e - i;
}

size_t skip(std::string_view t, size_t i, bool comma) {
  if (comma && i < t.size() && t[i] == ',') ++i;
  while (i < t.size() && t[i] == ' ') ++i;
  return i;
}

// "Month D[,] YYYY" starting at a month name.
size_t month_first(std::string_view t, size_t i) {
  size_t e;
  int m = month_at(t, i, e), d, y;
  if (!m || e >= t.size() || t[e] != ' ') return 0;
  size_t p = skip(t, e, false), nd = number_at(t, p, 2, d);
  if (!nd) return 0;
  p += nd;
  if (p + 1 < t.size() && (t.compare(p, 2, "st") == 0 || t.compare(p, 2, "nd") == 0 || t.compare(p, 2, "rd") == 0 ||
                           t.compare(p, 2, "th") == 0))
    p += 2;
  p = skip(t, p, true);
  if (number_at(t, p, 4, y) != 4 || !plausible_birth_date(y, m, d) || !ends_token(t, p + 4)) return 0;
  return p + 4;
}

// "D Month YYYY" starting at the day.
size_t day_first(std::string_view t, size_t i) {
  int d, y, m;
  size_t nd = number_at(t, i, 2, d);
  if (!nd || i + nd >= t.size() || t[i + nd] != ' ') return 0;
  size_t e, p = skip(t, i + nd, false);
  if (!(m = month_at(t, p, e))) return 0;
  p = skip(t, e, true);
  if (number_at(t, p, 4, y) != 4 || !plausible_birth_date(y, m, d) || !ends_token(t, p + 4)) return 0;
  return p + 4;
}

}  // namespace

void scan_birth_dates(std::string_view t, Findings& out) {
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = at(t, i);
    if (!(is_alpha(c) || is_digit(c)) || !starts_token(t, i)) continue;
    size_t e = is_digit(c) ? day_first(t, i) : month_first(t, i);
    if (!e || !after_birth_word(t, i)) continue;
    out.push_back({Kind::DateOfBirth, i, e, 0.9, "month_name_date_after_birth_word"});
    i = e - 1;
  }
}

}  // namespace flk::pii
