#include "cost/usage.h"

#include <string>

namespace flk::cost {
namespace {

constexpr ApiRule kRules[] = {
    {Api::openai_chat, "openai.chat", true, true, "prompt_tokens", "completion_tokens"},
    {Api::openai_responses, "openai.responses", true, true, "input_tokens", "output_tokens"},
    {Api::anthropic_messages, "anthropic.messages", false, true, "input_tokens", "output_tokens"},
    {Api::gemini, "gemini", true, false, "promptTokenCount", "candidatesTokenCount"},
    {Api::bedrock_converse, "bedrock.converse", false, true, "inputTokens", "outputTokens"},
    {Api::deepseek_chat, "deepseek.chat", true, true, "prompt_tokens", "completion_tokens"},
    {Api::xai_chat, "xai.chat", true, false, "prompt_tokens", "completion_tokens"},
    {Api::otel, "otel", true, true, "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"},
};

Error inconsistent(const std::string& what) { return make_error("inconsistent_usage", what); }

}  // namespace

const ApiRule& rule_of(Api api) {
  for (const ApiRule& r : kRules)
    if (r.api == api) return r;
  return kRules[0];
}

std::optional<Api> api_from_id(std::string_view id) {
  for (const ApiRule& r : kRules)
    if (id == r.id) return r.api;
  return std::nullopt;
}

std::string rule_text(const ApiRule& r) {
  return std::string(r.id) + ": " + r.input_field + (r.cache_in_input ? " includes" : " excludes") +
         " cache reads and cache writes; " + r.output_field + (r.reasoning_in_output ? " includes" : " excludes") +
         " reasoning tokens";
}

int64_t Quantities::prompt_tokens() const {
  return (*this)[Dim::input] + (*this)[Dim::cache_read] + (*this)[Dim::cache_write] + (*this)[Dim::cache_write_1h] +
         (*this)[Dim::input_audio] + (*this)[Dim::cache_audio_read];
}

Result<Quantities> normalize(const ApiRule& rule, const ReportedUsage& u, std::optional<bool> cache_in_input) {
  const int64_t counts[] = {u.input,     u.cache_read, u.cache_write,  u.cache_write_1h, u.input_audio,
                            u.cache_audio_read, u.tool_prompt, u.output, u.reasoning, u.output_audio,
                            u.requests,  u.input_images, u.output_images, u.web_searches};
  for (int64_t c : counts)
    if (c < 0) return inconsistent("token counts must not be negative");
  const std::string &in = rule.input_field, &out = rule.output_field;  // for messages only
  if (u.cache_write_1h > u.cache_write)
    return inconsistent("1-hour cache writes (" + std::to_string(u.cache_write_1h) + ") exceed all cache writes (" +
                        std::to_string(u.cache_write) + ")");
  if (u.cache_audio_read > u.cache_read)
    return inconsistent("cached audio tokens exceed cached tokens");
  if (u.cache_audio_read > u.input_audio && u.input_audio > 0)
    return inconsistent("cached audio tokens exceed audio input tokens");
  Quantities q;
  // Input side: cached and audio shares are carved out of the input count when it contains them.
  bool included = cache_in_input.value_or(rule.cache_in_input);
  int64_t uncached_audio = u.input_audio > 0 ? u.input_audio - u.cache_audio_read : 0;
  int64_t input = u.input;
  if (included) {
    input -= u.cache_read + u.cache_write;
    if (input < 0)
      return inconsistent(in + " (" + std::to_string(u.input) + ") is smaller than cache reads + writes (" +
                          std::to_string(u.cache_read + u.cache_write) + "), but " + rule.id +
                          " counts cached tokens inside " + in + "; if your producer reports them separately, set "
                          "cache_in_input to false");
  }
  input -= uncached_audio;
  if (input < 0) return inconsistent("audio input tokens exceed the uncached input tokens");
  q[Dim::input] = input + u.tool_prompt;
  q[Dim::cache_read] = u.cache_read - u.cache_audio_read;
  q[Dim::cache_audio_read] = u.cache_audio_read;
  q[Dim::cache_write] = u.cache_write - u.cache_write_1h;
  q[Dim::cache_write_1h] = u.cache_write_1h;
  q[Dim::input_audio] = uncached_audio;
  // Output side.
  int64_t output = u.output - u.output_audio;
  if (output < 0) return inconsistent("audio output tokens exceed " + out);
  if (rule.reasoning_in_output) {
    output -= u.reasoning;
    if (output < 0)
      return inconsistent(out + " (" + std::to_string(u.output) + ") is smaller than its reasoning tokens (" +
                          std::to_string(u.reasoning) + "), but " + rule.id + " counts reasoning inside " + out);
  }
  q[Dim::output] = output;
  q[Dim::reasoning] = u.reasoning;
  q[Dim::output_audio] = u.output_audio;
  q[Dim::request] = u.requests;
  q[Dim::input_image] = u.input_images;
  q[Dim::output_image] = u.output_images;
  q[Dim::web_search] = u.web_searches;
  return q;
}

}  // namespace flk::cost
