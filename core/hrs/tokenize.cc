#include "hrs/tokenize.h"

#include "hrs/lexicon.h"
#include "hrs/stem.h"
#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

enum class Kind { Word, Space, Apostrophe, Terminal, Newline, Other };

bool ascii_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool ascii_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Classifies the character at i and returns its byte length in n.
Kind classify(std::string_view s, size_t i, size_t& n) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  n = 1;
  if (c < 0x80) {
    if (ascii_alnum(c)) return Kind::Word;
    if (c == '\'') return Kind::Apostrophe;
    if (c == '.' || c == '!' || c == '?') return Kind::Terminal;
    if (c == '\n' || c == '\r') return Kind::Newline;
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return Kind::Space;
    return Kind::Other;
  }
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (c == 0xC2 && at(1) == 0xA0) {
    n = 2;
    return Kind::Space;
  }
  if (c == 0xE2 && at(1) == 0x80 && at(2) >= 0x80 && at(2) <= 0xBF) {
    n = 3;
    if (at(2) == 0x98 || at(2) == 0x99) return Kind::Apostrophe;
    if (at(2) == 0xA6) return Kind::Terminal;  // ellipsis
    if (at(2) <= 0x8F || at(2) == 0xAF) return Kind::Space;
    return Kind::Other;
  }
  return Kind::Word;  // any other non-ASCII byte counts as a letter (no case folding)
}

bool closes_sentence(std::string_view s, size_t i) {
  if (i >= s.size()) return true;
  unsigned char c = static_cast<unsigned char>(s[i]);
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == ')' || c == ']' || c == '\'' ||
         c == 0xE2 || c == 0xC2;
}

bool ends_with(const std::string& s, const char* suf, size_t n) {
  return s.size() > n && s.compare(s.size() - n, n, suf) == 0;
}

}  // namespace

bool TokenStream::next(Token& t) {
  const size_t end = s_.size();
  bool boundary = false;
  size_t n = 0;
  // Skip to the next word character, noting sentence ends on the way.
  while (pos_ < end) {
    Kind k = classify(s_, pos_, n);
    if (k == Kind::Word) break;
    if (k == Kind::Newline || (k == Kind::Terminal && closes_sentence(s_, pos_ + n))) boundary = true;
    pos_ += n;
  }
  if (pos_ >= end) return false;
  if (boundary && started_) {
    ++sentence_;
    started_ = false;
  }
  buf_.clear();
  size_t start = pos_;
  int letters = 0, capitals = 0;
  while (pos_ < end) {
    Kind k = classify(s_, pos_, n);
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (k == Kind::Word) {
      if (c >= 'A' && c <= 'Z') {
        ++capitals;
        c = static_cast<unsigned char>(c - 'A' + 'a');
      }
      if (ascii_alpha(c)) ++letters;
      for (size_t j = 0; j < n; ++j) buf_.push_back(j ? s_[pos_ + j] : static_cast<char>(c));
      pos_ += n;
      continue;
    }
    unsigned char prev = static_cast<unsigned char>(s_[pos_ - 1]);
    unsigned char nxt = pos_ + n < end ? static_cast<unsigned char>(s_[pos_ + n]) : 0;
    if (k == Kind::Apostrophe && ascii_alpha(prev) && ascii_alpha(nxt)) {
      buf_.push_back('\'');
      pos_ += n;
      continue;
    }
    if ((c == '.' || c == ',') && digit(prev) && digit(nxt)) {
      if (c == '.') buf_.push_back('.');
      pos_ += n;
      continue;
    }
    break;
  }
  t.flags = 0;
  t.cls = 0;
  unsigned char first = static_cast<unsigned char>(s_[start]);
  if (digit(first)) t.flags |= kNumber;
  if (first >= 'A' && first <= 'Z') t.flags |= kCapitalized;
  if (letters >= 2 && capitals == letters) t.flags |= kAllCaps;
  if (!started_) t.flags |= kSentenceStart;
  size_t apos = buf_.find('\'');
  if (apos != std::string::npos) {
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
  t.word = fnv1a(buf_);
  t.stem = (t.flags & kNumber) ? t.word : fnv1a(stem(buf_, scratch_));
  t.cls = word_class(t.word);
  if (t.flags & kNegated) t.cls |= kNegation;
  t.sentence = sentence_;
  t.bytes = static_cast<uint16_t>(buf_.size() < 0xFFFF ? buf_.size() : 0xFFFF);
  started_ = true;
  return true;
}

}  // namespace flk::hrs
