#include "hrs/tokenize.h"

#include <array>
#include <cstring>

#include "hrs/lexicon.h"
#include "hrs/stem.h"
#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

// Byte classes for the ASCII fast path; kHigh bytes (>= 0x80) go through classify_high.
enum Class : uint8_t { kOther, kLower, kUpper, kDigit, kSpace, kNewline, kTerminal, kQuote, kHigh };

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

bool is_word(uint8_t k) { return k == kLower || k == kUpper || k == kDigit; }
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

bool ends_with(const std::string& s, const char* suf, size_t n) {
  return s.size() > n && std::memcmp(s.data() + s.size() - n, suf, n) == 0;
}

}  // namespace

bool TokenStream::next(Token& t) {
  const size_t end = s_.size();
  const auto* s = reinterpret_cast<const unsigned char*>(s_.data());
  bool boundary = false;
  // Skip to the next word character, noting sentence ends on the way.
  while (pos_ < end) {
    uint8_t k = kTable[s[pos_]];
    size_t n = 1;
    if (k == kHigh) k = classify_high(s_, pos_, n);
    if (is_word(k)) break;
    if (k == kNewline || (k == kTerminal && closes_sentence(s_, pos_ + n))) boundary = true;
    pos_ += n;
  }
  if (pos_ >= end) return false;
  if (boundary && started_) {
    ++sentence_;
    started_ = false;
  }
  // Find the token's end.
  const size_t start = pos_;
  int letters = 0, capitals = 0;
  bool apostrophe = false, joined_number = false;
  while (pos_ < end) {
    uint8_t k = kTable[s[pos_]];
    if (is_word(k)) {
      letters += k != kDigit;
      capitals += k == kUpper;
      ++pos_;
      continue;
    }
    size_t n = 1;
    if (k == kHigh) {
      k = classify_high(s_, pos_, n);
      if (k == kLower) {
        pos_ += n;
        continue;
      }
    }
    unsigned char prev = s[pos_ - 1], nxt = pos_ + n < end ? s[pos_ + n] : 0;
    if (k == kQuote && ascii_alpha(prev) && ascii_alpha(nxt)) {
      apostrophe = true;
      pos_ += n;
      continue;
    }
    if ((s[pos_] == '.' || s[pos_] == ',') && digit(prev) && digit(nxt)) {
      joined_number = true;
      ++pos_;
      continue;
    }
    break;
  }
  // Copy it lowercased; "1,500" -> "1500", curly apostrophes -> '.
  buf_.resize(pos_ - start);
  size_t len = 0;
  if (!apostrophe && !joined_number) {
    for (size_t i = start; i < pos_; ++i) buf_[len++] = static_cast<char>(kTable[s[i]] == kUpper ? s[i] + 32 : s[i]);
  } else {
    for (size_t i = start; i < pos_; ++i) {
      unsigned char c = s[i];
      if (c == ',') continue;
      if (c == 0xE2 && i + 2 < pos_ && s[i + 1] == 0x80 && (s[i + 2] == 0x98 || s[i + 2] == 0x99)) {
        buf_[len++] = '\'';
        i += 2;
        continue;
      }
      buf_[len++] = static_cast<char>(kTable[c] == kUpper ? c + 32 : c);
    }
  }
  buf_.resize(len);
  t.flags = 0;
  unsigned char first = s[start];
  if (digit(first)) t.flags |= kNumber;
  if (kTable[first] == kUpper) t.flags |= kCapitalized;
  if (letters >= 2 && capitals == letters) t.flags |= kAllCaps;
  if (!started_) t.flags |= kSentenceStart;
  if (apostrophe) {
    size_t apos = buf_.find('\'');
    if (ends_with(buf_, "n't", 3)) {
      t.flags |= kNegated;
      buf_.resize(buf_.size() - 3);
    } else {
      std::string_view clitic = std::string_view(buf_).substr(apos + 1);
      if (clitic == "s" || clitic == "re" || clitic == "ve" || clitic == "ll" || clitic == "d" || clitic == "m")
        buf_.resize(apos);
    }
  }
  if ((t.flags & kNumber) && buf_.size() == 4 && digit(buf_[1]) && digit(buf_[2]) && digit(buf_[3]) &&
      (buf_[0] == '1' || (buf_[0] == '2' && buf_[1] == '0')))
    t.flags |= kYear;
  t.word = text_hash(buf_);
  t.stem = t.word;
  if (!(t.flags & kNumber) && buf_.size() > 3) {
    char last = buf_.back();
    size_t n = stem_in_place(&buf_[0], buf_.size());
    if (n != buf_.size() || buf_[n - 1] != last) t.stem = text_hash(buf_.data(), n);
  }
  t.cls = word_class(t.word);
  if (t.flags & kNegated) t.cls |= kNegation;
  t.sentence = sentence_;
  t.begin = static_cast<uint32_t>(start);
  t.end = static_cast<uint32_t>(pos_);
  t.bytes = static_cast<uint16_t>(buf_.size() < 0xFFFF ? buf_.size() : 0xFFFF);
  started_ = true;
  return true;
}

}  // namespace flk::hrs
