// FactCC-style synthetic consistency examples for training: one sentence of an example's
// context, either kept as the answer (label 0) or corrupted by one swap (label 1): an entity of
// the sentence replaced by another entity of the context or two of its names exchanged, a number or
// year changed, a month
// replaced, a negation added or removed, a word replaced by its WordNet antonym, or a pronoun
// swapped. They teach the members what the sentence alignment's mismatches mean; the rows train
// only (never scored), and share the fold of the example they come from, so they never reach a
// held-out fold.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace flk::hrs {

enum class Swap { None, Entity, Number, Month, Negation, Antonym, Pronoun, Synonym, Roles };
const char* swap_name(Swap s);

struct SyntheticAnswer {
  std::string answer;
  int label = 0;
  Swap swap = Swap::None;
};

// A sentence of 6 to 40 tokens of `context`, picked by `seed`; even seeds keep it (one word
// replaced by a WordNet synonym where the sentence has one: a consistent rewording), odd seeds
// corrupt it by the first applicable swap from a seed-chosen kind on. False when the context
// has no such sentence or (odd seed) no swap applies.
bool synthetic_answer(std::string_view context, uint64_t seed, SyntheticAnswer& out);

// The sentence with its first and last one-word names exchanged, who did what turned around:
// "Wozniak designed the Apple I with Jobs." -> "Jobs designed the Apple I with Wozniak." (a name: a
// capitalised word, not a number or a function word, with no capitalised word next to it; "" when the
// sentence has no two such names of different stems).
std::string roles_swapped(std::string_view sentence);

}  // namespace flk::hrs
