// Grouped cross-validation folds. Examples that share a question, a dialogue turn or a source
// document must land in the same fold; the shared data has no group column, so groups are the
// connected components of "same normalised question text" and "same normalised context text"
// (normalised: ASCII letters and digits lowercased, other ASCII dropped, non-ASCII kept).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace flk::hrs {

uint64_t normalized_text_hash(std::string_view s);

struct Grouping {
  std::vector<uint32_t> group;  // per example: dense group id
  uint32_t groups = 0;
  std::vector<uint64_t> key;    // per group: smallest normalised-text hash in it
};

Grouping group_examples(const std::vector<std::string_view>& questions,
                        const std::vector<std::string_view>& contexts);

// Fold of every example: groups are ordered by (stratum of their first example, hash of key and
// seed) and dealt to folds in turn, so each stratum (data set) is spread evenly.
std::vector<int> assign_folds(const Grouping& g, const std::vector<uint32_t>& stratum, int folds, uint64_t seed);

}  // namespace flk::hrs
