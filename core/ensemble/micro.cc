#include "ensemble/micro.h"

#include <algorithm>
#include <string>
#include <vector>

#include "hrs/text_hash.h"
#include "util/hash_index.h"

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

// The answer's distinct n-grams (hashes) and which of them the context holds; the context is
// streamed through a hash index of the answer's grams, one probe per position.
struct GramSet {
  std::vector<uint64_t> keys;
  std::vector<uint8_t> found;
  HashIndex index;
  uint32_t find(uint64_t h) const { return index.find(h, [&](uint32_t e) { return keys[e] == h; }); }
  void add(uint64_t h) {
    if (find(h) != HashIndex::npos) return;
    keys.push_back(h);
    index.insert(h, static_cast<uint32_t>(keys.size() - 1));
  }
  void mark(const std::string& text, size_t n) {
    found.assign(keys.size(), 0);
    for (size_t i = 0; i + n <= text.size(); ++i) {
      const uint32_t e = find(hrs::text_hash(text.data() + i, n));
      if (e != HashIndex::npos) found[e] = 1;
    }
  }
  double share() const {
    if (keys.empty()) return 0;
    size_t k = 0;
    for (uint8_t f : found) k += f;
    return static_cast<double>(k) / static_cast<double>(keys.size());
  }
};

GramSet grams(const std::string& text, size_t n) {
  GramSet g;
  for (size_t i = 0; i + n <= text.size(); ++i) g.add(hrs::text_hash(text.data() + i, n));
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
  static const char* const kNames[kMicroFeatures] = {"char4_in_context",   "char8_in_context", "char16_in_context",
                                                     "digits_in_context", "has_digits",       "has_context"};
  return kNames[f];
}

MicroRow micro_features(std::string_view context, std::string_view answer) {
  MicroRow x{};
  const std::string a = normalize(answer), c = normalize(context);
  const bool has_c = c.size() > 2;
  const size_t sizes[3] = {4, 8, 16};
  for (int k = 0; k < 3; ++k) {
    GramSet g = grams(a, sizes[k]);
    if (has_c) g.mark(c, sizes[k]);
    x[kChar4InContext + k] = g.share();
  }
  std::vector<std::string_view> runs = digit_runs(a);
  if (!runs.empty()) {
    size_t hit = 0;
    for (std::string_view r : runs) hit += c.find(" " + std::string(r) + " ") != std::string::npos;
    x[kDigitsInContext] = static_cast<double>(hit) / static_cast<double>(runs.size());
    x[kHasDigits] = 1;
  }
  x[kHasContext] = has_c;
  return x;
}

}  // namespace flk::ensemble
