// Imports LiteLLM's model_prices_and_context_window.json (USD per token as JSON numbers) into a
// catalog. Known price fields map to dimensions, `_batches` / `_priority` / `_flex` suffixes to
// service tiers, `_above_<N>k_tokens` to long-context tiers. Everything else is skipped and
// reported: price fields we cannot use (per second, per character, per pixel, …) by name and
// count, models left without any usable price by name and reason. Non-price fields (context
// sizes, supports_* flags, …) are ignored and listed once.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cost/catalog.h"
#include "json/value.h"

namespace flk::cost {

struct LitellmOptions {
  std::string version = "litellm-import";
  Source source;                          // id defaults to "litellm"
  std::optional<int32_t> effective_from;  // validity start of every imported price (days)
  std::vector<std::string> modes;         // keep only these LiteLLM modes (empty: all)
  std::vector<std::string> keys;          // keep only these model keys (empty: all)
};

struct LitellmReport {
  size_t entries = 0;
  size_t imported = 0;
  size_t zero_priced = 0;  // imported with every price 0 (free tiers, local models): stated, not assumed
  std::vector<std::pair<std::string, std::string>> skipped_models;  // key, reason
  std::map<std::string, size_t> skipped_price_fields;              // field → entries that had it
  std::map<std::string, size_t> ignored_fields;                    // non-price field → entries
  std::vector<std::string> conflicts;                              // two fields for one price
};

// LiteLLM provider names → OpenTelemetry gen_ai.provider.name values (unknown names pass through).
std::string otel_provider_of_litellm(const std::string& litellm_provider);

Result<Catalog> import_litellm(const json::Value& doc, const LitellmOptions& opt, LitellmReport* report);

}  // namespace flk::cost
