#include "hrs/stem.h"

#include <cstring>

namespace flk::hrs {
namespace {

bool ends_with(const char* w, size_t n, const char* suf, size_t k) { return n >= k && std::memcmp(w + n - k, suf, k) == 0; }

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool has_vowel(const char* w, size_t end) {
  for (size_t i = 0; i < end; ++i)
    if (is_vowel(w[i])) return true;
  return false;
}

}  // namespace

size_t stem_in_place(char* w, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (w[i] < 'a' || w[i] > 'z') return n;
  return stem_letters_in_place(w, n);
}

size_t stem_letters_in_place(char* w, size_t n) {
  if (n <= 3) return n;
  // Every rule below needs one of these last letters (-s, -ing, -ed, -ly, -e, -y, -er).
  const char last = w[n - 1];
  if (last != 's' && last != 'g' && last != 'd' && last != 'y' && last != 'e' && last != 'r') return n;
  if (ends_with(w, n, "sses", 4)) {
    n -= 2;
  } else if (ends_with(w, n, "ies", 3) && n > 4) {
    n -= 2;
    w[n - 1] = 'y';
  } else if (w[n - 1] == 's' && !ends_with(w, n, "ss", 2) && !ends_with(w, n, "us", 2) && !ends_with(w, n, "is", 2)) {
    --n;
  }
  bool undoubled = false;
  if (ends_with(w, n, "ing", 3) && n >= 6 && has_vowel(w, n - 3)) {
    n -= 3;
    undoubled = true;
  } else if (ends_with(w, n, "ed", 2) && n >= 5 && has_vowel(w, n - 2)) {
    n -= 2;
    undoubled = true;
  } else if (ends_with(w, n, "ly", 2) && n >= 5) {
    n -= 2;
  }
  if (undoubled && n >= 3 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]) && w[n - 1] != 'l' && w[n - 1] != 's' &&
      w[n - 1] != 'z')
    --n;
  if (n > 3 && w[n - 1] == 'e') --n;
  if (n > 3 && w[n - 1] == 'y') w[n - 1] = 'i';
  if (n > 4 && ends_with(w, n, "ter", 3)) {  // "meter" and "metre" (now "metr"), "center" and "centre"
    w[n - 2] = 'r';
    --n;
  }
  return n;
}

}  // namespace flk::hrs
