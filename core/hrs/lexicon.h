// Closed word classes the features count: function words, negations, hedges, certainty
// markers, first-person pronouns and calendar words. Looked up by the FNV-1a hash of the
// lowercased word (text_hash.h); the lists are in lexicon.cc.
#pragma once
#include <cstdint>

namespace flk::hrs {

enum WordClass : uint8_t {
  kStopword = 1,
  kNegation = 2,
  kHedge = 4,
  kCertainty = 8,
  kFirstPerson = 16,
  kCalendar = 32,
};

// Bitwise OR of the classes of the word with this hash (0 for an open-class word).
uint8_t word_class(uint64_t word_hash);

}  // namespace flk::hrs
