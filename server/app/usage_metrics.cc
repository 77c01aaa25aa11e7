#include "app/usage_metrics.h"

#include <cstring>

namespace flk::server {
namespace {

std::string text_at(const json::Value& v, const char* key) {
  const json::Value* f = v.find(key);
  return f && f->is_string() ? f->as_string() : "";
}

// gen_ai.operation.name of a priced API: Gemini's is generate_content, every other API the
// server prices is a chat API.
const char* operation_of(const std::string& api) { return api == "gemini" ? "generate_content" : "chat"; }

// cost.usage quantities that are tokens, by gen_ai.token.type: what the model read (input,
// cache reads and writes) and what it wrote (output, reasoning). Images, searches and requests are
// not tokens.
bool is_output_token(const std::string& k) { return k.rfind("output", 0) == 0 || k.rfind("reasoning", 0) == 0; }
bool is_input_token(const std::string& k) { return k.rfind("input", 0) == 0 || k.rfind("cache", 0) == 0; }

}  // namespace

UsageLabels usage_labels(const json::Value& priced, const std::string& task) {
  UsageLabels l;
  l.model = text_at(priced, "model");
  if (const json::Value* as = priced.find("priced_as")) l.provider = text_at(*as, "provider");
  l.operation = operation_of(text_at(priced, "api"));
  l.task = task.empty() ? "none" : task;
  if (const json::Value* q = priced.find("quantities"); q && q->is_object())
    for (const auto& [k, v] : q->as_object()) {
      if (!v.is_number() || k.find("image") != std::string::npos) continue;
      if (is_output_token(k)) l.output_tokens += v.as_double();
      else if (is_input_token(k)) l.input_tokens += v.as_double();
    }
  return l;
}

void count_usage(Metrics& m, const std::string& tenant, const UsageLabels& l, const char* result, int64_t cost_nanos) {
  // Every result's series exists (by 0) from a tenant and model's first event, so the first
  // refusal is an increase Prometheus sees, not a new series starting at 1.
  for (const char* r : {"stored", "duplicate", "refused"})
    m.usage_events.inc({tenant, l.model, r}, std::strcmp(r, result) == 0 ? 1 : 0);
  if (std::strcmp(result, "stored") != 0) return;
  m.spend_usd.inc({tenant, l.model, l.task}, static_cast<double>(cost_nanos) / 1e9);
  m.token_usage.observe({tenant, l.operation, l.provider, l.model, "input"}, l.input_tokens);
  m.token_usage.observe({tenant, l.operation, l.provider, l.model, "output"}, l.output_tokens);
}

}  // namespace flk::server
