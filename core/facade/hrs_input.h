// Reading HRS requests and labelled examples from JSON (shared by ops_hrs.cc and its
// helpers). Texts are read in place (string views into the input value), so a context of
// several megabytes is never copied.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "hrs/features.h"
#include "hrs/train.h"
#include "json/fields.h"

namespace flk::hrs_io {

// Documented limits (docs/hrs.md, "Limits").
constexpr size_t kMaxAnswerBytes = 1u << 20;     // 1 MiB
constexpr size_t kMaxQuestionBytes = 1u << 20;   // 1 MiB
constexpr size_t kMaxContextBytes = 16u << 20;   // 16 MiB
constexpr size_t kMaxLogprobs = 1u << 20;
constexpr size_t kMaxEmbeddingRows = 256;
constexpr size_t kMaxEmbeddingCols = 8192;
constexpr size_t kMaxEmbeddingValues = 1u << 20;
constexpr size_t kMaxExamples = 1u << 18;

// The text and signal fields of one request: {question?, context?, answer, token_logprobs?,
// embeddings?, task?}. Reads those keys only; the caller reads its own and calls finish().
struct Request {
  hrs::FeatureInput input;
  std::vector<double> logprobs;
  std::vector<std::vector<double>> embeddings;
};
Status read_request(json::ObjectReader& r, Request& out);

// The optional "task" field: qa (or its other name rag), dialogue or summarization.
Result<std::optional<hrs::Task>> read_task(json::ObjectReader& r);

// Labelled examples in the shared data schema: {id?, source?, task?, question?, context?,
// answer, label}. `source` defaults to "data"; views point into v.
Result<std::vector<hrs::Example>> read_examples(const json::Value& v, std::string_view path);

}  // namespace flk::hrs_io
