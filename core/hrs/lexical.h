// The answer's wording as hashed buckets for the bag-of-words sub-model: every lowercased word
// and every pair of adjacent words, numbers folded into one token and "n't" restored as "not",
// hashed into 2^bits buckets (presence only).
#pragma once
#include <string>
#include <vector>

#include "hrs/features.h"
#include "hrs/logistic.h"
#include "hrs/tokenize.h"

namespace flk::hrs {

// The regime of a request: what the input looks like (task; whether a question is given, and
// whether it asks or instructs: question_interrogative, except in a dialogue, whose two
// "dialogue/instruction/..." regimes stay unused; whether a context is given; not the answer's
// length, which is form), 1..kRegimes, from the features x. Every word is also hashed together
// with it, so that one model can weigh a word differently where it means something different;
// the calibration may have a map per regime (calibration.h).
constexpr uint32_t kRegimes = 18;
uint32_t lexical_regime(const double* x);
// "qa/question/no_context", "qa/instruction/no_context", "summarization/no_question/context", ...
std::string regime_name(uint32_t regime);

// Words: every token, or (Words::Content) only those that are not plain function words —
// negations, hedges, certainty markers and first-person pronouns stay. Function words mostly
// tell a sentence from a bare span, which is form; the HRS sub-model reads content words.
enum class Words { All, Content };
Buckets lexical_buckets(const std::vector<Token>& answer, int bits, uint32_t regime, Words words = Words::All);
// sparse_logit(m, lexical_buckets(...)), the same sum without the bucket vector (scoring).
double lexical_buckets_logit(const SparseLinearModel& m, const std::vector<Token>& answer, int bits, uint32_t regime,
                             Words words);

}  // namespace flk::hrs
