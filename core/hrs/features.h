// Feature extraction for one request: answer form, grounding of the answer in the question and
// the context, log-prob statistics and embedding signals (feature_schema.h lists them,
// docs/hrs.md defines them). Deterministic and PI-safe: only numbers leave this file.
// Cost is linear in the text: the answer is indexed once and the context is streamed against
// it, so a context of several megabytes needs no more memory than the answer's tables.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hrs/feature_schema.h"
#include "hrs/tokenize.h"

namespace flk::hrs {

enum class Task { Unknown, Qa, Dialogue, Summarization };

struct FeatureInput {
  std::string_view question, context, answer;
  const std::vector<double>* token_logprobs = nullptr;          // optional, each <= 0
  const std::vector<std::vector<double>>* embeddings = nullptr;  // optional, n rows of width d
  Task task = Task::Unknown;
};

using FeatureArray = std::array<double, kNumFeatures>;

struct Features {
  FeatureArray x{};
  uint8_t groups = kGroupAnswer;  // FeatureGroup bits that the input allowed to compute
};

enum Mismatch : uint8_t { kMismatchNumber = 1, kMismatchEntity = 2, kMismatchNegation = 4, kMismatchAntonym = 8 };

// How one answer sentence rests on the context: the context sentence covering most of its
// distinct content stems (a WordNet synonym counts as the stem) and what that sentence lacks or
// contradicts. Answer sentences past the 63rd share
// the 64th entry (kMaxSupportSentences), which then spans to the end of the answer.
constexpr uint32_t kMaxSupportSentences = 64;
struct SentenceSupport {
  uint32_t begin = 0, end = 0;  // bytes of the answer sentence's tokens, [begin, end)
  uint32_t content = 0;         // distinct content stems (the denominator of support)
  double support = 0;           // share of them in the best context sentence
  uint32_t source_begin = 0, source_end = 0;  // its bytes in the context; end 0: none shares a stem
  uint32_t numbers = 0, entities = 0;         // distinct number / entity stems of the answer sentence
  uint32_t numbers_found = 0, entities_found = 0, special_found = 0;  // of them in the best sentence
  uint32_t antonyms_found = 0;                // source words that are antonyms of the sentence's words
  uint8_t negated = 0, source_negated = 0;    // odd number of negations
  uint8_t mismatch = 0;                       // Mismatch bits
};

// answer_tokens, when given, receives the answer's tokens (the lexical model reads them);
// support, when given and the context has a token, one entry per answer sentence.
Features compute_features(const FeatureInput& in, std::vector<Token>* answer_tokens = nullptr,
                          std::vector<SentenceSupport>* support = nullptr);

std::vector<Token> tokenize_all(std::string_view text);

}  // namespace flk::hrs

namespace flk::hrs {

// Share of the answer's tokens whose lowercased form occurs in neither the question nor the
// context (the "novel words" baseline of the model card; 0 for an answer without tokens).
double novel_word_share(const std::vector<Token>& answer, std::string_view question, std::string_view context);

}  // namespace flk::hrs
