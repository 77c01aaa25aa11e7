// WordNet-derived word relations for the sentence alignment: antonym pairs (an answer word whose
// antonym stands in its source sentence flips the sentence's polarity, like a negation) and
// synonym groups (a source word counts as support for an answer word of its group). The table
// (wordnet_table.cc) is generated from Debian's wordnet-base by scripts/gen-wordnet.mjs and keyed
// here by the tokenizer's stem hash, so lookups agree with the features' stems.
#pragma once
#include <cstdint>
#include <string_view>

namespace flk::hrs {

extern const char kWordnetAntonyms[];  // "a b;" pairs
extern const char kWordnetSynonyms[];  // "a b c;" groups

struct Related {
  const uint64_t* items = nullptr;
  uint32_t count = 0;
};

// Stem hashes of the antonyms of the word with this stem hash (none: count 0).
Related wordnet_antonyms(uint64_t stem);
// Synonym groups (ids from 1) of the word with this stem hash, one per part of speech at most.
Related wordnet_synonym_groups(uint64_t stem);
// For synthetic training data, by exact lowercase word: the first antonym listed, and the next
// word of its first synonym group (cyclically); empty if none.
std::string_view wordnet_antonym_word(std::string_view word);
std::string_view wordnet_synonym_word(std::string_view word);

}  // namespace flk::hrs
