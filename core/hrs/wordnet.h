// WordNet-derived word relations for the sentence alignment: antonym pairs (an answer word whose
// antonym stands in its source sentence flips the sentence's polarity, like a negation) and
// synonym groups (a source word counts as support for an answer word of its group). The table
// (core/hrs/wordnet.txt) is generated from Debian's wordnet-base by scripts/gen-wordnet.mjs and
// keyed here by the tokenizer's stem hash, so lookups agree with the features' stems. It is data:
// the native and WASI builds embed it gzipped; the browser build (FLK_HRS_MODEL_EXTERNAL) is given
// the file by its loader, as the default model (docs/edge.md).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk::hrs {

// Loads the table on first call; every op that computes features calls it before any lookup below
// (which find nothing in a table that failed to load). Without the file the browser build answers
// model_unavailable with the loader's reason.
Status wordnet_ready();
#ifdef FLK_HRS_MODEL_EXTERNAL
// The file's text (the loader inflates the gzip file), or why the loader has none; before the first op.
void provide_wordnet(std::string file, std::string unavailable);
#endif

struct Related {
  const uint64_t* items = nullptr;
  uint32_t count = 0;
};

// Stem hashes of the antonyms of the word with this stem hash (none: count 0).
Related wordnet_antonyms(uint64_t stem);
// Synonym groups (ids from 1) of the word with this stem hash, one per part of speech at most.
Related wordnet_synonym_groups(uint64_t stem);
// Both, found with one lookup.
struct WordRelations {
  Related antonyms, groups;
};
WordRelations wordnet_relations(uint64_t stem);
// For synthetic training data, by exact lowercase word: the first antonym listed, and the next
// word of its first synonym group (cyclically); empty if none.
std::string_view wordnet_antonym_word(std::string_view word);
std::string_view wordnet_synonym_word(std::string_view word);

}  // namespace flk::hrs
