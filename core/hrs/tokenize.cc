#include "hrs/tokenize.h"

#include <array>
#include <cstring>
#include <iterator>

#include "hrs/lexicon.h"
#include "hrs/stem.h"
#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

// Byte classes for the ASCII fast path; kHigh bytes (>= 0x80) go through classify_high.
// The word classes come first, so that is_word is one comparison.
enum Class : uint8_t { kLower, kUpper, kDigit, kOther, kSpace, kNewline, kTerminal, kQuote, kHigh };

constexpr std::array<uint8_t, 256> make_table() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = kOther;
    if (c >= 'a' && c <= 'z') k = kLower;
    else if (c >= 'A' && c <= 'Z') k = kUpper;
    else if (c >= '0' && c <= '9') k = kDigit;
    else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') k = kSpace;
    else if (c == '\n' || c == '\r') k = kNewline;
    else if (c == '.' || c == '!' || c == '?') k = kTerminal;
    else if (c == '\'') k = kQuote;
    else if (c >= 0x80) k = kHigh;
    t[c] = k;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kTable = make_table();

constexpr std::array<uint8_t, 256> make_fold() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = static_cast<uint8_t>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}
constexpr std::array<uint8_t, 256> kFold = make_fold();

// The flags a token's first byte sets: kNumber (a digit), kCapitalized (an ASCII capital).
constexpr std::array<uint8_t, 256> make_first_flags() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c >= '0' && c <= '9' ? kNumber : c >= 'A' && c <= 'Z' ? kCapitalized : 0;
  return t;
}
constexpr std::array<uint8_t, 256> kFirstFlags = make_first_flags();

// Eight bytes at once: the high bit of each byte of the masks marks an ASCII capital, an ASCII
// lowercase letter, an ASCII digit.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHighBits = 0x8080808080808080ull;
struct WordBytes {
  uint64_t upper, lower, digit;
};
// High bits where a byte of x (each below 0x80) lies in [lo, hi]: no sum carries into the next byte.
uint64_t in_range(uint64_t x, unsigned lo, unsigned hi) {
  return (x + kOnes * (0x80 - lo)) & ~(x + kOnes * (0x7F - hi)) & kHighBits;
}
WordBytes word_bytes(uint64_t x) {
  const uint64_t ascii = ~x & kHighBits, x7 = x & ~kHighBits;
  const uint64_t letter = in_range(x7 | (kOnes * 0x20), 'a', 'z') & ascii;  // either case
  WordBytes b;
  b.upper = letter & ~(x << 2);  // bit 5 (set in lowercase letters) moved to bit 7
  b.lower = letter ^ b.upper;
  b.digit = in_range(x7, '0', '9') & ascii;
  return b;
}

bool is_word(uint8_t k) { return k <= kDigit; }
bool ascii_alpha(unsigned char c) { return kTable[c] == kLower || kTable[c] == kUpper; }
bool digit(unsigned char c) { return kTable[c] == kDigit; }

// Class of the non-ASCII character starting at i (its length in n): U+00A0 and
// U+2000..U+203F are spaces, apostrophes (U+2018/9), an ellipsis (terminal) or punctuation;
// every other non-ASCII byte is a letter.
uint8_t classify_high(std::string_view s, size_t i, size_t& n) {
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  unsigned char c = at(0);
  n = 1;
  if (c == 0xC2 && at(1) == 0xA0) {
    n = 2;
    return kSpace;
  }
  if (c == 0xE2 && at(1) == 0x80 && at(2) >= 0x80 && at(2) <= 0xBF) {
    n = 3;
    if (at(2) == 0x98 || at(2) == 0x99) return kQuote;
    if (at(2) == 0xA6) return kTerminal;
    if (at(2) <= 0x8F || at(2) == 0xAF) return kSpace;
    return kOther;
  }
  return kLower;
}

// Whether the terminal at i - 1 ends a sentence, given what follows it at i.
bool closes_sentence(std::string_view s, size_t i) {
  if (i >= s.size()) return true;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (kTable[c] == kUpper && s[i - 1] == '.' && i >= 3 && kTable[static_cast<unsigned char>(s[i - 2])] == kLower &&
      kTable[static_cast<unsigned char>(s[i - 3])] == kLower)
    return true;
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == ')' || c == ']' || c == '\'' ||
         c == 0xE2 || c == 0xC2;
}

bool ends_with(const char* w, size_t len, const char* suf, size_t n) {
  return len > n && std::memcmp(w + len - n, suf, n) == 0;
}

// The stem of a number token: its digits without a decade's or an ordinal's suffix ("1970s",
// "7th", "2nd"), so that they meet "1970" and "June 7"; other tokens whole ("3d", "1.5").
size_t number_stem_length(const char* w, size_t len) {
  size_t d = 0;
  while (d < len && digit(w[d])) ++d;
  const std::string_view rest(w + d, len - d);
  return rest == "s" || rest == "st" || rest == "nd" || rest == "rd" || rest == "th" ? d : len;
}

bool is_year(const char* w, size_t len) {
  return len == 4 && digit(w[0]) && digit(w[1]) && digit(w[2]) && digit(w[3]) &&
         (w[0] == '1' || (w[0] == '2' && w[1] == '0'));
}

constexpr int kMaxScale = 24;  // "million million million ...": the digits stay bounded

// The first letters of the scale words in either case: most numbers are followed by none.
constexpr std::array<bool, 256> make_scale_initial() {
  std::array<bool, 256> t{};
  for (const ScaleWord& sc : kScaleWords) t[static_cast<unsigned char>(sc.word[0])] = t[static_cast<unsigned char>(sc.word[0] - 32)] = true;
  return t;
}
constexpr std::array<bool, 256> kScaleInitial = make_scale_initial();

// Whether the lowercase word is at s[i] (any case) and ends the word there: at the end of the text or
// before an ASCII byte that is neither a word byte nor an apostrophe.
bool word_at(const unsigned char* s, size_t i, size_t end, std::string_view word) {
  const size_t k = word.size(), after = i + k;
  if (after > end || (after < end && (s[after] >= 0x80 || is_word(kTable[s[after]]) || s[after] == '\'')))
    return false;
  size_t j = 0;
  while (j < k && kFold[s[i + j]] == static_cast<unsigned char>(word[j])) ++j;
  return j == k;
}

// The power of the scale word at s[i] (n: its length; word_at), 0 when there is none.
int scale_at(const unsigned char* s, size_t i, size_t end, size_t& n) {
  for (const ScaleWord& sc : kScaleWords)
    if (word_at(s, i, end, sc.word)) {
      n = sc.word.size();
      return sc.exp;
    }
  return 0;
}

// The month (1-12) whose name is the word at s[i] (any case; word_at), 0 when it is none.
int month_at(const unsigned char* s, size_t i, size_t end) {
  for (int k = 0; k < 12; ++k)
    if (word_at(s, i, end, kMonthNames[k])) return k + 1;
  return 0;
}

// "50%" reads as "50 percent": the sign right after a number is a token of that word.
constexpr uint64_t kPercent = text_hash("percent");
// An approximator reads with the stem of "about".
constexpr uint64_t kAbout = text_hash("about");

// Where the unit abbreviation that ends the number token w[0, len) starts ("25km", "2.5kg": the
// digits before it are a plain decimal); 0 when there is none.
size_t unit_suffix(const char* w, size_t len) {
  size_t k = len;
  while (k > 0 && ascii_alpha(w[k - 1])) --k;
  for (size_t i = 0; i < k; ++i)
    if (!digit(w[i]) && w[i] != '.') return 0;
  return k > 0 && unit_index(std::string_view(w + k, len - k)) >= 0 ? k : 0;
}

// Whether a digit ends right before i, or before the one space at i - 1: a unit abbreviation at i
// follows a number.
bool after_digit(const unsigned char* s, size_t i) {
  return i > 0 && (digit(s[i - 1]) || (s[i - 1] == ' ' && i > 1 && digit(s[i - 2])));
}

// The word and stem hashes of the kUnitWords words, as the tokenizer reads the words themselves.
struct UnitHashes {
  uint64_t word, stem;
  uint16_t bytes;
};
const std::array<UnitHashes, std::size(kUnitWords)>& unit_hashes() {
  static const auto t = [] {
    std::array<UnitHashes, std::size(kUnitWords)> h{};
    for (size_t i = 0; i < h.size(); ++i) {
      const std::string_view u = kUnitWords[i].word;
      char w[16];
      std::memcpy(w, u.data(), u.size());
      h[i].word = text_hash(u);
      h[i].stem = text_hash(w, u.size() > 3 ? stem_letters_in_place(w, u.size()) : u.size());
      h[i].bytes = static_cast<uint16_t>(u.size());
    }
    return h;
  }();
  return t;
}

// The month and day of an ISO date "YYYY-MM-DD" whose year starts at s[y]: a year is_year reads,
// month 01-12, day 01-31, no word byte right before or after. False when there is none.
bool iso_date_at(const unsigned char* s, size_t y, size_t end, int& month, int& day) {
  if (y + 10 > end || (y > 0 && is_word(kTable[s[y - 1]])) || (y + 10 < end && is_word(kTable[s[y + 10]])) ||
      s[y + 4] != '-' || s[y + 7] != '-' || !is_year(reinterpret_cast<const char*>(s + y), 4))
    return false;
  for (size_t i : {5, 6, 8, 9})
    if (!digit(s[y + i])) return false;
  month = (s[y + 5] - '0') * 10 + (s[y + 6] - '0');
  day = (s[y + 8] - '0') * 10 + (s[y + 9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Whether the bytes before i end a number: a run of ASCII letters and digits that starts with a
// digit or is a number word ("50", "3.5", "1,500" and "fifty" end in one; "C3" of a URL's "%C3"
// does not).
bool after_number(const unsigned char* s, size_t i) {
  size_t k = i;
  while (k > 0 && kTable[s[k - 1]] <= kDigit) --k;
  if (k == i || digit(s[k])) return k < i;
  char word[16];
  if (i - k > sizeof word) return false;
  for (size_t j = k; j < i; ++j) word[j - k] = static_cast<char>(kFold[s[j]]);
  return !number_digits(std::string_view(word, i - k)).empty();
}

// The unit words a hyphen joins to a tens word ("twenty-five"), 1 to 9.
constexpr std::string_view kUnits[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

// The value of the unit word at s[i] (any case; n: its length) that ends the word before no
// apostrophe, 0 if none.
int unit_at(const unsigned char* s, size_t i, size_t end, size_t& n) {
  size_t k = 0;
  char word[6];
  for (; k < sizeof word && i + k < end && ascii_alpha(s[i + k]); ++k) word[k] = static_cast<char>(kFold[s[i + k]]);
  if (i + k < end && (is_word(kTable[s[i + k]]) || s[i + k] == '\'')) return 0;  // "twenty-five's": as without
  for (int u = 0; u < 9; ++u)
    if (kUnits[u] == std::string_view(word, k)) {
      n = k;
      return u + 1;
    }
  return 0;
}

// The digits of the number token s[start, pos) into d (kNumberBytes): a decimal without its
// thousands commas, a number word's ("one" is 1 here), or a tens word and a unit word joined by a
// hyphen ("twenty-five" -> "25"). Their length, 0 for any other ("1970s", "3rd", a longer number).
constexpr size_t kNumberBytes = 64;
size_t number_text(const unsigned char* s, size_t start, size_t pos, char* d) {
  size_t n = 0;
  if (digit(s[start])) {
    for (size_t i = start; i < pos; ++i) {
      if (s[i] == ',') continue;
      if ((!digit(s[i]) && s[i] != '.') || n == kNumberBytes / 2) return 0;
      d[n++] = static_cast<char>(s[i]);
    }
    return n;
  }
  char w[16];
  if (pos - start > sizeof w) return 0;
  for (size_t i = start; i < pos; ++i) w[i - start] = static_cast<char>(kFold[s[i]]);
  const std::string_view word(w, pos - start);
  auto digits_of = [](std::string_view x) { return x == "one" || x == "a" ? std::string_view("1") : number_digits(x); };
  const size_t hyphen = word.find('-');
  std::string_view first = digits_of(word.substr(0, hyphen)), unit;
  if (hyphen != std::string_view::npos) {
    unit = digits_of(word.substr(hyphen + 1));
    first = first.substr(0, 1);
  }
  for (std::string_view part : {first, unit})  // not memcpy: a view with no digits may hold no pointer
    for (char c : part) d[n++] = c;
  return n;
}

// The decimal d[0, n) (digits, at most one '.') times 10^exp, in place, as digits without leading
// zeros and with a '.' only where the fraction is longer than exp: "2.3" and 6 -> "2300000".
// Returns the new length (n <= 32 and at most kMaxScale zeros: below kNumberBytes).
size_t scale_decimal(char* d, size_t n, int exp) {
  size_t dot = 0;
  while (dot < n && d[dot] != '.') ++dot;
  const size_t e = static_cast<size_t>(exp);
  if (dot == n) {
    std::memset(d + n, '0', e);
    n += e;
  } else {
    const size_t frac = n - dot - 1;  // the point moves right past min(frac, e) digits
    if (frac > e) {
      std::memmove(d + dot, d + dot + 1, e);
      d[dot + e] = '.';
    } else {
      std::memmove(d + dot, d + dot + 1, frac);
      std::memset(d + n - 1, '0', e - frac);
      n += e - frac - 1;
    }
  }
  size_t lead = 0;  // leading zeros ("0.5 million" -> "0500000"), keeping one before a '.' or alone
  while (lead + 1 < n && d[lead] == '0' && d[lead + 1] != '.') ++lead;
  std::memmove(d, d + lead, n - lead);
  return n - lead;
}

}  // namespace

TokenStream::WordMemo& TokenStream::word_memo() {
  thread_local WordMemo memo;
  return memo;
}

// The text hashes of "20", "30" ... "90": the stems of the tens words.
const std::array<uint64_t, 8>& tens_stems() {
  static constexpr std::array<uint64_t, 8> t = [] {
    std::array<uint64_t, 8> h{};
    for (int k = 0; k < 8; ++k) {
      const char tens[2] = {static_cast<char>('2' + k), '0'};
      h[k] = text_hash(tens, 2);
    }
    return h;
  }();
  return t;
}

void TokenStream::describe(char* w, size_t len, bool letters_only, Memo& m) const {
  m.word = text_hash_padded(w, len);
  m.stem = m.word;
  if (len > 3) {
    char last = w[len - 1];
    size_t n = letters_only ? stem_letters_in_place(w, len) : stem_in_place(w, len);
    if (n != len || w[n - 1] != last) m.stem = text_hash_padded(w, n);
  }
  static constexpr std::array<uint64_t, std::size(kApproximators)> approximators = [] {
    std::array<uint64_t, std::size(kApproximators)> h{};
    for (size_t k = 0; k < h.size(); ++k) h[k] = text_hash(kApproximators[k]);
    return h;
  }();
  for (uint64_t a : approximators)
    if (m.word == a) m.stem = kAbout;
  const WordClassTable::Entry e = classes_.entry(m.word);
  m.cls = e.cls;
  m.number = e.numeral != 0;
  m.scales = m.number || (len == 3 && std::memcmp(w, "one", 3) == 0) || (len == 1 && w[0] == 'a');
  m.tens = 0;
  m.unit = len == 3 && std::memcmp(w, "per", 3) == 0 ? kPer
           : static_cast<uint8_t>(len <= 3 ? unit_index(std::string_view(w, len)) + 1 : 0);
  for (int k = 0; k < 8 && m.number; ++k)
    if (e.numeral == tens_stems()[k]) m.tens = static_cast<char>('2' + k);
  if (m.number) m.stem = e.numeral;
}

bool TokenStream::scale(Token& t, size_t start, size_t& pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(s_.data());
  size_t len = 0;
  if (pos + 1 >= s_.size() || s[pos] != ' ' || scale_at(s, pos + 1, s_.size(), len) == 0) return false;
  size_t n = number_text(s, start, pos, scaled_.data());
  if (n == 0) return false;
  int total = 0;
  for (int e; pos + 1 < s_.size() && s[pos] == ' ' && (e = scale_at(s, pos + 1, s_.size(), len)) > 0 && total + e <= kMaxScale;) {
    n = scale_decimal(scaled_.data(), n, e);
    total += e;
    pos += 1 + len;
  }
  scaled_len_ = n;
  t.word = t.stem = text_hash(scaled_.data(), n);
  return true;
}

int TokenStream::iso_date_part(Token& t, size_t start, size_t pos) const {
  const auto* s = reinterpret_cast<const unsigned char*>(s_.data());
  int month = 0, day = 0;
  size_t y = start;  // where the date starts; the token is its field 0, 1 or 2 (year, month, day)
  if (!(pos == start + 4 && iso_date_at(s, y, s_.size(), month, day)) &&
      !(start >= 5 && iso_date_at(s, y = start - 5, s_.size(), month, day)) &&
      !(start >= 8 && iso_date_at(s, y = start - 8, s_.size(), month, day)))
    return 0;
  if (y == start) {
    const Memo m = month_memo(month);
    t.word = m.word;
    t.stem = m.stem;
    t.bytes = static_cast<uint16_t>(kMonthNames[month - 1].size());
    return 1;
  }
  if (y + 5 == start) {
    const char digits[2] = {static_cast<char>('0' + day / 10), static_cast<char>('0' + day % 10)};
    t.bytes = day < 10 ? 1 : 2;
    t.word = t.stem = text_hash(digits + 2 - t.bytes, t.bytes);
    return 2;
  }
  t.word = t.stem = text_hash(s_.data() + y, 4);
  t.bytes = 4;
  return 3;
}

TokenStream::Memo TokenStream::month_memo(int month) const {
  const std::string_view name = kMonthNames[month - 1];
  char w[16] = {};  // text_hash_padded reads eight bytes at a time
  std::memcpy(w, name.data(), name.size());
  Memo m;
  describe(w, name.size(), true, m);
  return m;
}

size_t TokenStream::read(Token* out, size_t count) {
  const size_t end = s_.size();
  const auto* s = reinterpret_cast<const unsigned char*>(s_.data());
  // The stream's state in locals, not members, for the whole batch: the stores into the buffer
  // below may alias members, which would be reloaded after each.
  size_t pos = pos_;
  uint32_t sentence = sentence_;
  bool started = started_;
  Day day_pending = day_;
  char* w = &buf_[0];
  size_t room = buf_.size();
  size_t got = 0;
  for (; got < count; ++got) {
    Token& t = out[got];
    // Skip to the next word character, noting sentence ends on the way (one space: the usual case).
    if (pos + 1 < end && s[pos] == ' ' && is_word(kTable[s[pos + 1]])) {
      ++pos;
    } else {
      bool boundary = false;
      while (pos < end) {
        if (s[pos] == '%' && after_number(s, pos)) break;  // "50%": the sign is a word
        uint8_t k = kTable[s[pos]];
        size_t n = 1;
        if (k == kHigh) k = classify_high(s_, pos, n);
        if (is_word(k)) break;
        if (k == kNewline || (k == kTerminal && closes_sentence(s_, pos + n))) boundary = true;
        pos += n;
      }
      if (pos >= end) break;
      if (boundary && started) {
        ++sentence;
        started = false;
      }
      if (s[pos] == '%') {  // the word "percent", as "50 percent" writes it
        t.word = t.stem = kPercent;
        t.sentence = sentence;
        t.begin = static_cast<uint32_t>(pos);
        t.end = static_cast<uint32_t>(++pos);
        t.bytes = 7;
        t.flags = 0;
        t.cls = classes_.of(kPercent);
        continue;
      }
    }
    // Find the token's end (runs of ASCII letters and digits, joined by non-ASCII letters, inner
    // apostrophes and digit separators), copying it lowercased on the way: "1,500" -> "1500",
    // curly apostrophes -> '. Runs are read eight bytes at a time; the buffer keeps 8 spare bytes
    // for those stores and for text_hash_padded.
    const size_t start = pos;
    size_t len = 0;
    uint32_t capitals = 0;  // ASCII capitals (counted up to 2 per 8-byte step: only >= 2 matters)
    uint64_t lower = 0;     // nonzero once a lowercase ASCII letter was seen
    uint64_t other = 0;     // nonzero once a byte other than an ASCII letter was kept
    bool apostrophe = false;
    for (;;) {
      if (len + 16 > room) {
        buf_.resize(2 * room + 64);
        w = &buf_[0];
        room = buf_.size();
      }
      if (pos + 8 <= end) {
        uint64_t x;
        std::memcpy(&x, s + pos, 8);
        const WordBytes b = word_bytes(x);
        const uint64_t stop = ~(b.upper | b.lower | b.digit) & kHighBits;  // bytes that end the run
        const unsigned k = stop == 0 ? 8 : static_cast<unsigned>(__builtin_ctzll(stop)) >> 3;
        const uint64_t keep = ((stop & (0 - stop)) >> 7) - 1;  // the bytes before the first stop (all if none)
        const uint64_t folded = x + (b.upper >> 2);  // +0x20 on each capital
        std::memcpy(w + len, &folded, 8);
        const uint64_t caps = b.upper & keep;
        capitals += caps == 0 ? 0 : (caps & (caps - 1)) == 0 ? 1 : 2;
        lower |= b.lower & keep;
        other |= b.digit & keep;
        len += k;
        pos += k;
        if (k == 8) continue;
      } else {
        for (; pos < end && is_word(kTable[s[pos]]); ++pos) {
          capitals += kTable[s[pos]] == kUpper;
          lower |= kTable[s[pos]] == kLower;
          other |= kTable[s[pos]] == kDigit;
          w[len++] = static_cast<char>(kFold[s[pos]]);
        }
      }
      if (pos >= end || s[pos] == ' ') break;  // the usual end of a word
      const unsigned char c = s[pos];
      size_t n = 1;
      uint8_t k = kTable[c];
      if (k == kHigh) {
        k = classify_high(s_, pos, n);
        if (k == kLower) {
          other = 1;
          w[len++] = static_cast<char>(c);
          ++pos;
          continue;
        }
      }
      unsigned char prev = s[pos - 1], nxt = pos + n < end ? s[pos + n] : 0;
      if (k == kQuote && ascii_alpha(prev) && ascii_alpha(nxt)) {
        apostrophe = true;
        other = 1;
        w[len++] = '\'';
        pos += n;
        continue;
      }
      if ((c == '.' || c == ',') && digit(prev) && digit(nxt)) {
        other = 1;
        if (c == '.') w[len++] = '.';
        ++pos;
        continue;
      }
      break;
    }
    uint8_t flags = kFirstFlags[s[start]], cls = 0;
    if (capitals >= 2 && lower == 0) flags |= kAllCaps;
    if (!started) flags |= kSentenceStart;
    if (apostrophe) {
      size_t apos = std::string_view(w, len).find('\'');
      if (len == 3 && apos == 1 && w[0] == 'n' && w[2] == 't') {  // "do n't": the negation split off its verb
        std::memcpy(w, "not", 3);
      } else if (ends_with(w, len, "n't", 3)) {
        flags |= kNegated;
        len -= 3;
      } else {
        std::string_view clitic(w + apos + 1, len - apos - 1);
        if (clitic == "s" || clitic == "re" || clitic == "ve" || clitic == "ll" || clitic == "d" || clitic == "m")
          len = apos;
      }
    }
    bool scales = true;  // a scale word after it would make one number
    if (flags & kNumber) {
      size_t d = len;
      if (ascii_alpha(w[len - 1])) {
        d = number_stem_length(w, len);
        const size_t k = d == len ? unit_suffix(w, len) : 0;
        if (k != 0) {  // "25km": the number ends where the unit starts, which is the next token
          pos -= len - k;
          len = d = k;
        }
      }
      if (d == 4 && is_year(w, 4)) flags |= kYear;
      t.word = text_hash_padded(w, len);
      t.stem = d == len ? t.word : text_hash_padded(w, d);
      int part = 0;
      if (((pos < end && s[pos] == '-') || (start >= 5 && s[start - 1] == '-')) &&
          (part = iso_date_part(t, start, pos)) != 0) {  // "1889-03-31" as "March 31 1889"
        len = t.bytes;
        scales = false;
        flags = static_cast<uint8_t>((flags & ~(kNumber | kYear)) | (part == 1 ? kCapitalized : part == 2 ? kNumber : kNumber | kYear));
        if (part == 1) cls = classes_.of(t.word);
      } else if (len <= 2 && pos + 1 < end && s[pos] == ' ') {
        int month = day_number(std::string_view(w, len)) ? month_at(s, pos + 1, end) : 0;
        if ((month == 3 || month == 5) && kTable[s[pos + 1]] != kUpper) month = 0;  // "5 may be", "10 march on"
        if (month != 0) {  // a day before a month name, read as the month
          day_pending = Day{t.word, t.stem, static_cast<uint16_t>(len)};
          const Memo m = month_memo(month);
          t.word = m.word;
          t.stem = m.stem;
          cls = m.cls;
          len = kMonthNames[month - 1].size();
          bool caps = true;  // "31 JULY": the month's token is all capitals, as "JULY 31"'s is
          for (size_t i = 1; i <= len; ++i) caps &= kTable[s[pos + i]] == kUpper;
          flags = static_cast<uint8_t>((flags & ~(kNumber | kYear)) | kCapitalized | (caps ? kAllCaps : 0));
          scales = false;
        }
      }
    } else {
      Memo fresh;
      const Memo* m = &fresh;
      if (len <= 8) {
        uint64_t key;
        std::memcpy(&key, w, 8);
        key &= ~uint64_t{0} >> (8 * (8 - len));
        const size_t slot = (key * 0x9E3779B97F4A7C15ull) >> (64 - kMemoBits);
        if (memo_.key[slot] != key) {
          memo_.key[slot] = key;
          describe(w, len, other == 0, memo_.memo[slot]);
        }
        m = &memo_.memo[slot];
      } else {
        describe(w, len, other == 0, fresh);
      }
      t.word = m->word;
      t.stem = m->stem;
      cls = m->cls;
      scales = m->scales;
      if (m->unit == kPer) {
        if (pos + 1 < end && s[pos] == ' ' && word_at(s, pos + 1, end, "cent")) {  // "per cent": "percent"
          t.word = t.stem = kPercent;
          cls = classes_.of(kPercent);
          len = 7;
          pos += 5;
        }
      } else if (m->unit != 0 && after_digit(s, start)) {  // "25 km": the word the abbreviation stands for
        const UnitHashes& u = unit_hashes()[m->unit - 1];
        t.word = u.word;
        t.stem = u.stem;
        cls = 0;  // "m" alone is a clitic's remains, a function word
        len = u.bytes;
      }
      if (m->number) {
        flags |= kNumber;
        size_t n = 0;
        int unit = 0;
        if (m->tens && pos + 1 < end && s[pos] == '-' && (unit = unit_at(s, pos + 1, end, n)) > 0) {  // "twenty-five"
          const char digits[2] = {m->tens, static_cast<char>('0' + unit)};
          t.word = t.stem = text_hash(digits, 2);
          pos += 1 + n;
          len = 2;
        }
      }
      if (day_pending.bytes != 0) {  // the month after a day, read as the day
        t.word = day_pending.word;
        t.stem = day_pending.stem;
        len = day_pending.bytes;
        flags = static_cast<uint8_t>((flags & ~(kCapitalized | kAllCaps)) | kNumber);
        cls = 0;
        scales = false;
        day_pending = Day{};
      }
    }
    if (scales && pos + 1 < end && s[pos] == ' ' && kScaleInitial[s[pos + 1]] && scale(t, start, pos)) {
      len = scaled_len_;
      flags = static_cast<uint8_t>((flags & ~kYear) | kNumber | (is_year(scaled_.data(), len) ? kYear : 0));
      cls = 0;  // "one" is a function word alone
    }
    if (flags & kNegated) cls |= kNegation;
    t.flags = flags;
    t.cls = cls;  // 0 for numbers: the word classes hold none
    t.sentence = sentence;
    t.begin = static_cast<uint32_t>(start);
    t.end = static_cast<uint32_t>(pos);
    t.bytes = static_cast<uint16_t>(len < 0xFFFF ? len : 0xFFFF);
    started = true;
  }
  pos_ = pos;
  sentence_ = sentence;
  started_ = started;
  day_ = day_pending;
  return got;
}

}  // namespace flk::hrs
