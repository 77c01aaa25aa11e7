#include "ensemble/micro.h"

#include <algorithm>
#include <string>
#include <vector>

#include "hrs/text_hash.h"

namespace flk::ensemble {
namespace {

bool alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

// ASCII lowercased; every run of other ASCII bytes becomes one space (non-ASCII bytes kept).
std::string normalize(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(' ');
  for (unsigned char c : s) {
    if (alnum(c)) out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    else if (out.back() != ' ') out.push_back(' ');
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;
}

struct GramSet {
  std::vector<uint64_t> keys;  // sorted, distinct
  std::vector<uint8_t> found;  // per key: bit 1 context, bit 2 question
  void mark(const std::string& text, size_t n, uint8_t bit) {
    for (size_t i = 0; i + n <= text.size(); ++i) {
      auto it = std::lower_bound(keys.begin(), keys.end(), hrs::text_hash(text.data() + i, n));
      if (it != keys.end() && *it == hrs::text_hash(text.data() + i, n)) found[it - keys.begin()] |= bit;
    }
  }
  double share(uint8_t mask) const {
    if (keys.empty()) return 0;
    size_t k = 0;
    for (uint8_t f : found) k += (f & mask) != 0;
    return static_cast<double>(k) / static_cast<double>(keys.size());
  }
};

GramSet grams(const std::string& text, size_t n) {
  GramSet g;
  for (size_t i = 0; i + n <= text.size(); ++i) g.keys.push_back(hrs::text_hash(text.data() + i, n));
  std::sort(g.keys.begin(), g.keys.end());
  g.keys.erase(std::unique(g.keys.begin(), g.keys.end()), g.keys.end());
  g.found.assign(g.keys.size(), 0);
  return g;
}

std::vector<std::string_view> digit_runs(const std::string& s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    out.push_back(std::string_view(s).substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

const char* micro_feature_name(int f) {
  static const char* const kNames[kMicroFeatures] = {"char4_in_context", "char4_in_question", "char8_in_context",
                                                     "char4_novel",      "digits_in_source",  "has_digits",
                                                     "has_context",      "has_question"};
  return kNames[f];
}

MicroRow micro_features(std::string_view question, std::string_view context, std::string_view answer) {
  MicroRow x{};
  const std::string a = normalize(answer), q = normalize(question), c = normalize(context);
  const bool has_c = c.size() > 2, has_q = q.size() > 2;
  GramSet g4 = grams(a, 4), g8 = grams(a, 8);
  if (has_c) g4.mark(c, 4, 1), g8.mark(c, 8, 1);
  if (has_q) g4.mark(q, 4, 2);
  x[kChar4InContext] = g4.share(1);
  x[kChar4InQuestion] = g4.share(2);
  x[kChar8InContext] = g8.share(1);
  x[kChar4Novel] = has_c || has_q ? 1 - g4.share(3) : 0;
  std::vector<std::string_view> runs = digit_runs(a);
  if (!runs.empty()) {
    size_t hit = 0;
    for (std::string_view r : runs) {
      std::string key = " " + std::string(r) + " ";
      hit += c.find(key) != std::string::npos || q.find(key) != std::string::npos;
    }
    x[kDigitsInSource] = static_cast<double>(hit) / static_cast<double>(runs.size());
    x[kHasDigits] = 1;
  }
  x[kHasContext] = has_c;
  x[kHasQuestion] = has_q;
  return x;
}

}  // namespace flk::ensemble
