// pii::scan: every detector over the text, overlaps resolved, sorted by offset.
#pragma once
#include <cstdint>
#include <string_view>

#include "pii/finding.h"

namespace flk::pii {

struct Options {
  uint32_t kinds = (1u << kKindCount) - 1;  // bit i = Kind i
  double min_confidence = 0;
};

// Findings do not overlap: where two detectors claim overlapping bytes, the more confident one
// stays (then the longer, then the earlier). Kinds and min_confidence filter after that, so a
// card number never reappears as a phone number when only phones are asked for.
// Time O(n) (each detector's window is a constant, docs/pii.md), plus O(k log k) for k candidates;
// memory O(n) at most (the candidates).
Findings scan(std::string_view text, const Options& options);

// UTF-16 code units in s: what a JavaScript string index counts. Byte by byte: a continuation
// byte (80-BF) counts none, a four-byte lead (F0-F4) two, any other byte one, so invalid UTF-8
// still gets a defined offset.
size_t utf16_length(std::string_view s);

}  // namespace flk::pii
