#include "hrs/tokenize.h"

#include <array>
#include <cstring>

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

// Per byte: 1 for an ASCII capital, 2^32 for a lowercase ASCII letter; a token's sum counts both.
constexpr std::array<uint64_t, 256> make_case_count() {
  std::array<uint64_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c >= 'A' && c <= 'Z' ? 1 : (c >= 'a' && c <= 'z' ? uint64_t{1} << 32 : 0);
  return t;
}
constexpr std::array<uint64_t, 256> kCaseCount = make_case_count();

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

}  // namespace

bool TokenStream::next(Token& t) {
  const size_t end = s_.size();
  const auto* s = reinterpret_cast<const unsigned char*>(s_.data());
  size_t pos = pos_;  // locals, not members: the stores into the buffer below may alias members
  bool boundary = false;
  // Skip to the next word character, noting sentence ends on the way.
  while (pos < end) {
    uint8_t k = kTable[s[pos]];
    size_t n = 1;
    if (k == kHigh) k = classify_high(s_, pos, n);
    if (is_word(k)) break;
    if (k == kNewline || (k == kTerminal && closes_sentence(s_, pos + n))) boundary = true;
    pos += n;
  }
  if (pos >= end) {
    pos_ = pos;
    return false;
  }
  if (boundary && started_) {
    ++sentence_;
    started_ = false;
  }
  // Find the token's end: runs of ASCII letters and digits, joined by non-ASCII letters, inner
  // apostrophes and digit separators.
  const size_t start = pos;
  bool apostrophe = false, joined_number = false;
  for (;;) {
    while (pos < end && is_word(kTable[s[pos]])) ++pos;
    if (pos >= end) break;
    size_t n = 1;
    uint8_t k = kTable[s[pos]];
    if (k == kHigh) {
      k = classify_high(s_, pos, n);
      if (k == kLower) {
        pos += n;
        continue;
      }
    }
    unsigned char prev = s[pos - 1], nxt = pos + n < end ? s[pos + n] : 0;
    if (k == kQuote && ascii_alpha(prev) && ascii_alpha(nxt)) {
      apostrophe = true;
      pos += n;
      continue;
    }
    if ((s[pos] == '.' || s[pos] == ',') && digit(prev) && digit(nxt)) {
      joined_number = true;
      ++pos;
      continue;
    }
    break;
  }
  pos_ = pos;
  // Copy it lowercased; "1,500" -> "1500", curly apostrophes -> '. The buffer keeps 8 spare
  // bytes for text_hash_padded.
  if (buf_.size() < pos - start + 8) buf_.resize(2 * (pos - start) + 64);
  char* w = &buf_[0];
  size_t len = 0;
  uint64_t cases = 0;
  if (!apostrophe && !joined_number) {
    for (size_t i = start; i < pos; ++i) {
      cases += kCaseCount[s[i]];
      w[len++] = static_cast<char>(kFold[s[i]]);
    }
  } else {
    for (size_t i = start; i < pos; ++i) {
      unsigned char c = s[i];
      cases += kCaseCount[c];
      if (c == ',') continue;
      if (c == 0xE2 && i + 2 < pos && s[i + 1] == 0x80 && (s[i + 2] == 0x98 || s[i + 2] == 0x99)) {
        w[len++] = '\'';
        i += 2;
        continue;
      }
      w[len++] = static_cast<char>(kFold[c]);
    }
  }
  const uint64_t capitals = cases & 0xFFFFFFFFu, letters = capitals + (cases >> 32);
  t.flags = 0;
  unsigned char first = s[start];
  if (digit(first)) t.flags |= kNumber;
  if (kTable[first] == kUpper) t.flags |= kCapitalized;
  if (letters >= 2 && capitals == letters) t.flags |= kAllCaps;
  if (!started_) t.flags |= kSentenceStart;
  if (apostrophe) {
    size_t apos = std::string_view(w, len).find('\'');
    if (ends_with(w, len, "n't", 3)) {
      t.flags |= kNegated;
      len -= 3;
    } else {
      std::string_view clitic(w + apos + 1, len - apos - 1);
      if (clitic == "s" || clitic == "re" || clitic == "ve" || clitic == "ll" || clitic == "d" || clitic == "m")
        len = apos;
    }
  }
  if ((t.flags & kNumber) && len == 4 && digit(w[1]) && digit(w[2]) && digit(w[3]) &&
      (w[0] == '1' || (w[0] == '2' && w[1] == '0')))
    t.flags |= kYear;
  t.word = text_hash_padded(w, len);
  t.stem = t.word;
  if (!(t.flags & kNumber) && len > 3) {
    char last = w[len - 1];
    size_t n = stem_in_place(w, len);
    if (n != len || w[n - 1] != last) t.stem = text_hash_padded(w, n);
  }
  t.cls = (t.flags & kNumber) ? 0 : word_class(t.word);  // the word classes hold no number
  if (t.flags & kNegated) t.cls |= kNegation;
  t.sentence = sentence_;
  t.begin = static_cast<uint32_t>(start);
  t.end = static_cast<uint32_t>(pos);
  t.bytes = static_cast<uint16_t>(len < 0xFFFF ? len : 0xFFFF);
  started_ = true;
  return true;
}

}  // namespace flk::hrs
