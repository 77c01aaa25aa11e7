// The answer's wording as hashed buckets for the bag-of-words sub-model: every lowercased word
// and every pair of adjacent words, numbers folded into one token and "n't" restored as "not",
// hashed into 2^bits buckets (presence only).
#pragma once
#include <vector>

#include "hrs/features.h"
#include "hrs/logistic.h"
#include "hrs/tokenize.h"

namespace flk::hrs {

// The regime of a request: what the input looks like (task, whether question and context are
// given; not the answer's length, which is form); every word is also hashed together with it,
// so that one model can weigh a word differently where it means something different.
uint32_t lexical_regime(const FeatureArray& x);

// Words: every token, or (Words::Content) only those that are not plain function words —
// negations, hedges, certainty markers and first-person pronouns stay. Function words mostly
// tell a sentence from a bare span, which is form; the HRS sub-model reads content words.
enum class Words { All, Content };
Buckets lexical_buckets(const std::vector<Token>& answer, int bits, uint32_t regime, Words words = Words::All);

}  // namespace flk::hrs
