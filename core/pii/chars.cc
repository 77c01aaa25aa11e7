#include "pii/chars.h"

namespace flk::pii {
namespace {

// A byte that glues two word bytes into one token; ':' only between digits ("10:30", not "tel:").
bool joins(unsigned char c, unsigned char other) {
  if (c == ':') return is_digit(other);
  return (c == '-' || c == '.' || c == '_' || c == '/') && is_word(other);
}

}  // namespace

bool starts_token(std::string_view t, size_t i) {
  if (i == 0) return true;
  unsigned char p = at(t, i - 1);
  if (is_word(p)) return false;
  return !(i >= 2 && joins(p, at(t, i - 2)));
}

bool ends_token(std::string_view t, size_t e) {
  if (e >= t.size()) return true;
  unsigned char n = at(t, e);
  if (is_word(n)) return false;
  return !(e + 1 < t.size() && joins(n, at(t, e + 1)));
}

Before::Before(std::string_view t, size_t pos, size_t window) {
  size_t from = pos > window ? pos - window : 0;
  n_ = pos - from < sizeof buf_ ? pos - from : sizeof buf_;
  for (size_t k = 0; k < n_; ++k) buf_[k] = static_cast<char>(to_lower(at(t, pos - n_ + k)));
  word_before_ = pos > n_ && is_word(at(t, pos - n_ - 1));
}

// A context word that begins with a letter or digit counts only where a word begins: "born" is not
// in "stubborn", "cc" not in "account", "tel" not in "hotel"; endings may follow ("phones", "called").
bool Before::has(std::initializer_list<std::string_view> words) const {
  std::string_view w(buf_, n_);
  for (std::string_view word : words) {
    const bool word_led = !word.empty() && is_word(static_cast<unsigned char>(word[0]));
    for (size_t k = w.find(word); k != std::string_view::npos; k = w.find(word, k + 1)) {
      const bool starts = k > 0 ? !is_word(static_cast<unsigned char>(w[k - 1])) : !word_before_;
      if (!word_led || starts) return true;
    }
  }
  return false;
}

bool after_birth_word(std::string_view t, size_t pos) {
  return context_before(t, pos, 24, {"dob", "d.o.b", "born", "date of birth", "birth date", "birthdate",
                                     "date_of_birth"});
}

}  // namespace flk::pii
