#include "pii/scan.h"

#include "pii/detectors.h"
#include "util/stable_order.h"

namespace flk::pii {
namespace {

bool better(const Finding& a, const Finding& b) {
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  return a.end - a.begin > b.end - b.begin;
}

}  // namespace

Findings scan(std::string_view text, const Options& options) {
  Findings all;
  scan_secrets(text, all);
  scan_emails(text, all);
  scan_ibans(text, all);
  scan_ipv6(text, all);
  scan_numbers(text, all);
  scan_birth_dates(text, all);
  const std::vector<size_t> order = stable_order(
      all.size(),
      [](const void* c, size_t i, size_t j) {
        const Finding &a = (*static_cast<const Findings*>(c))[i], &b = (*static_cast<const Findings*>(c))[j];
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
      },
      &all);
  Findings kept;
  for (size_t i : order) {
    const Finding& f = all[i];
    if (!kept.empty() && f.begin < kept.back().end) {
      if (better(f, kept.back())) kept.back() = f;
      continue;
    }
    kept.push_back(f);
  }
  Findings out;
  for (const Finding& f : kept)
    if ((options.kinds >> static_cast<int>(f.kind) & 1u) && f.confidence >= options.min_confidence) out.push_back(f);
  return out;
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 && c <= 0xF4 ? 2 : 1;  // a four-byte sequence is a surrogate pair
  }
  return n;
}

}  // namespace flk::pii
