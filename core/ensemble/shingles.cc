#include "ensemble/shingles.h"

#include <algorithm>

#include "hrs/text_hash.h"
#include "hrs/tokenize.h"

namespace flk::ensemble {

std::vector<uint64_t> word_shingles(std::string_view text) {
  std::vector<uint64_t> stems;
  hrs::TokenStream ts(text);
  hrs::Token t;
  while (ts.next(t)) stems.push_back(t.stem);
  std::vector<uint64_t> out;
  if (stems.empty()) return out;
  const size_t n = stems.size() < kShingleWords ? 1 : stems.size() - kShingleWords + 1;
  const size_t w = std::min<size_t>(stems.size(), kShingleWords);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = stems[i];
    for (size_t k = 1; k < w; ++k) h = hrs::hash_pair(h, stems[i + k]);
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 1;
  if (a.empty() || b.empty()) return 0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++common, ++i, ++j;
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace flk::ensemble
