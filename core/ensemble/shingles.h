// Word 3-gram shingles of a text (hrs tokenizer, stems, so "finished" and "finish" match) and
// their Jaccard similarity, for the citation-overlap voter. A text of fewer than three tokens is
// one shingle of all of them; a text without tokens has none. Both-empty Jaccard is 1,
// one-empty 0; both sets are deduplicated (the seed's version could exceed 1).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace flk::ensemble {

constexpr int kShingleWords = 3;

// Sorted, distinct shingle hashes.
std::vector<uint64_t> word_shingles(std::string_view text);
double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace flk::ensemble
