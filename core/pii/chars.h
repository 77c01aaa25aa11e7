// Byte classes and small look-arounds shared by the PII scanners. Everything is ASCII-only on
// purpose: bytes >= 0x80 (UTF-8 sequences, or garbage in binary input) count as word bytes, so a
// match never starts or ends inside a non-ASCII word, and invalid UTF-8 needs no special case.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace flk::pii {

inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alpha(unsigned char c) { return is_upper(c) || is_lower(c); }
inline bool is_alnum(unsigned char c) { return is_alpha(c) || is_digit(c); }
inline bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool is_word(unsigned char c) { return is_alnum(c) || c >= 0x80; }
inline unsigned char to_lower(unsigned char c) { return is_upper(c) ? static_cast<unsigned char>(c + 32) : c; }

inline unsigned char at(std::string_view t, size_t i) { return static_cast<unsigned char>(t[i]); }

// True when a match may start at i: no word byte before it, and not the tail of a dotted or
// hyphenated token ("v1.2", "a716-4466", "10:30") either.
bool starts_token(std::string_view t, size_t i);
// The same test for a match ending at e (exclusive).
bool ends_token(std::string_view t, size_t e);

// The `window` (at most 64) bytes before a position, lower-cased once, to look for context
// words in. has() costs O(window² * words) at most: a constant per call.
class Before {
 public:
  Before(std::string_view t, size_t pos, size_t window);
  bool has(std::initializer_list<std::string_view> words) const;

 private:
  char buf_[64];
  size_t n_;
  bool word_before_;  // the byte before the window is a word byte
};

inline bool context_before(std::string_view t, size_t pos, size_t window, std::initializer_list<std::string_view> words) {
  return Before(t, pos, window).has(words);
}

// A birth word ("dob", "born", "date of birth", ...) in the 24 bytes before pos. "birthday" is
// left out on purpose: parties and reminders are dated too.
bool after_birth_word(std::string_view t, size_t pos);

}  // namespace flk::pii
