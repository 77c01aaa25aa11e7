// Token usage as providers report it → disjoint billable quantities. Providers disagree on
// whether cached tokens are part of the input count and reasoning tokens part of the output
// count; each API has one explicit rule here, and counts that contradict the rule are errors
// (that is how double counting and $0 cache reads are caught).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cost/catalog.h"

namespace flk::cost {

enum class Api {
  openai_chat,         // OpenAI Chat Completions and compatible APIs (Mistral, Groq, Azure OpenAI …)
  openai_responses,    // OpenAI Responses API
  anthropic_messages,  // Anthropic Messages (also on Bedrock InvokeModel and Vertex AI)
  gemini,              // Google Gemini generateContent (AI Studio and Vertex AI)
  bedrock_converse,    // AWS Bedrock Converse
  deepseek_chat,       // DeepSeek chat completions
  xai_chat,            // xAI chat completions
  otel,                // OpenTelemetry GenAI span attributes
};

struct ApiRule {
  Api api;
  const char* id;              // "anthropic.messages"
  bool cache_in_input;         // cache reads and writes are part of the input count
  bool reasoning_in_output;    // reasoning tokens are part of the output count
  const char* input_field;     // the provider's name for the input count
  const char* output_field;
};

const ApiRule& rule_of(Api api);
std::optional<Api> api_from_id(std::string_view id);
// One sentence stating the rule, e.g. "anthropic.messages: input_tokens excludes cache reads and
// cache writes; output_tokens includes reasoning tokens".
std::string rule_text(const ApiRule& r);

// Counts in the provider's own meaning (0 when absent).
struct ReportedUsage {
  int64_t input = 0;             // the provider's input/prompt count
  int64_t cache_read = 0;        // all cached input (text and audio)
  int64_t cache_write = 0;       // all cache writes (any TTL)
  int64_t cache_write_1h = 0;    // of which written with a 1-hour TTL
  int64_t input_audio = 0;       // audio part of the input (cached or not)
  int64_t cache_audio_read = 0;  // audio part of cache_read
  int64_t tool_prompt = 0;       // Gemini toolUsePromptTokenCount: billed as input, not in promptTokenCount
  int64_t output = 0;            // the provider's output/completion count
  int64_t reasoning = 0;
  int64_t output_audio = 0;      // audio part of the output
  int64_t requests = 1;
  int64_t input_images = 0;
  int64_t output_images = 0;
  int64_t web_searches = 0;
};

struct Quantities {
  std::array<int64_t, kDimCount> q{};
  int64_t& operator[](Dim d) { return q[static_cast<int>(d)]; }
  int64_t operator[](Dim d) const { return q[static_cast<int>(d)]; }
  // All input-side token buckets together (what long-context tiers are measured on).
  int64_t prompt_tokens() const;
};

// Applies the rule; cache_in_input overrides the rule's default (OpenTelemetry producers that
// copy a provider's raw counts). Error code inconsistent_usage names the contradiction.
Result<Quantities> normalize(const ApiRule& rule, const ReportedUsage& u, std::optional<bool> cache_in_input = {});

}  // namespace flk::cost
