#include "hrs/stem.h"

namespace flk::hrs {
namespace {

bool ends_with(const std::string& s, const char* suf, size_t n) {
  return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool has_vowel(const std::string& s, size_t end) {
  for (size_t i = 0; i < end; ++i)
    if (is_vowel(s[i])) return true;
  return false;
}

}  // namespace

std::string_view stem(std::string_view word, std::string& s) {
  if (word.size() <= 3) return word;
  for (char c : word)
    if (c < 'a' || c > 'z') return word;
  s.assign(word.data(), word.size());
  if (ends_with(s, "sses", 4)) {
    s.resize(s.size() - 2);
  } else if (ends_with(s, "ies", 3) && s.size() > 4) {
    s.resize(s.size() - 2);
    s.back() = 'y';
  } else if (s.back() == 's' && !ends_with(s, "ss", 2) && !ends_with(s, "us", 2) && !ends_with(s, "is", 2)) {
    s.pop_back();
  }
  bool undoubled = false;
  if (ends_with(s, "ing", 3) && s.size() >= 6 && has_vowel(s, s.size() - 3)) {
    s.resize(s.size() - 3);
    undoubled = true;
  } else if (ends_with(s, "ed", 2) && s.size() >= 5 && has_vowel(s, s.size() - 2)) {
    s.resize(s.size() - 2);
    undoubled = true;
  } else if (ends_with(s, "ly", 2) && s.size() >= 5) {
    s.resize(s.size() - 2);
  }
  size_t n = s.size();
  if (undoubled && n >= 3 && s[n - 1] == s[n - 2] && !is_vowel(s[n - 1]) && s[n - 1] != 'l' && s[n - 1] != 's' &&
      s[n - 1] != 'z')
    s.pop_back();
  if (s.size() > 3 && s.back() == 'e') s.pop_back();
  if (s.size() > 3 && s.back() == 'y') s.back() = 'i';
  return s;
}

}  // namespace flk::hrs
