// The price catalog: per provider and model, versioned by validity dates, every price with
// the source it came from. Plain structs; reading and writing the JSON form is catalog_json.h,
// the LiteLLM importer is litellm_import.h, the shipped default is default_catalog.h.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cost/money.h"
#include "util/result.h"

namespace flk::cost {

// What a price is charged for. Token dimensions are disjoint buckets (usage.h normalises
// each provider's counts into them); the last four are counted per unit.
enum class Dim : uint8_t {
  input,             // uncached input tokens
  cache_read,        // input tokens served from the provider's cache
  cache_write,       // input tokens written to the cache (default / 5-minute TTL)
  cache_write_1h,    // input tokens written to the cache with a 1-hour TTL
  input_audio,       // uncached audio input tokens
  cache_audio_read,  // audio input tokens served from cache
  output,            // output tokens that are not reasoning or audio
  reasoning,         // reasoning / thinking output tokens
  output_audio,      // audio output tokens
  request,           // per request
  input_image,       // per input image
  output_image,      // per generated image
  web_search,        // per web search call
  kCount
};
constexpr int kDimCount = static_cast<int>(Dim::kCount);

const char* dim_name(Dim d);
// Catalog JSON key of a dimension's price: "input_mtok" (USD per million tokens) for token
// dimensions, "per_request" etc. (USD per unit) for the counted ones.
const char* dim_price_key(Dim d);
bool dim_is_token(Dim d);
std::optional<Dim> dim_from_name(std::string_view name);
std::optional<Dim> dim_from_price_key(std::string_view key);

struct PriceSet {
  std::array<PricePerM, kDimCount> price{};
  std::array<std::string, kDimCount> source{};  // empty: the entry's source
  uint32_t present = 0;                          // bit per Dim

  bool has(Dim d) const { return present >> static_cast<int>(d) & 1u; }
  PricePerM get(Dim d) const { return price[static_cast<int>(d)]; }
  void set(Dim d, PricePerM p, std::string src = {});
};

// Long-context pricing: when a request's prompt (all input buckets together) is larger than
// above_input_tokens, these prices replace the base ones for the dimensions they name.
struct ContextTier {
  int64_t above_input_tokens = 0;
  PriceSet prices;
};

struct TierPrices {
  PriceSet base;
  std::vector<ContextTier> context;  // ascending thresholds
};

struct Source {
  std::string id;         // key into Catalog::sources
  std::string name;       // what it is
  std::string url;
  std::string as_of;      // date the source asserts its prices for (YYYY-MM-DD), may be empty
  std::string reference;  // commit / file / version
};

constexpr int32_t kOpenStart = INT32_MIN;
constexpr int32_t kOpenEnd = INT32_MAX;

struct ModelEntry {
  std::string provider;  // OpenTelemetry gen_ai.provider.name values: openai, anthropic, gcp.gemini, aws.bedrock …
  std::string model;
  std::vector<std::string> aliases;
  int32_t valid_from = kOpenStart;  // days since epoch, inclusive
  int32_t valid_to = kOpenEnd;      // exclusive
  std::string source;               // Source::id of prices without their own
  TierPrices standard;
  std::map<std::string, TierPrices> service_tiers;  // "batch", "priority", "flex"
};

struct Fallback {
  std::string provider;  // may be empty
  std::string model;
};

struct Catalog {
  std::string version;
  std::vector<Source> sources;
  std::vector<ModelEntry> models;
  std::optional<Fallback> fallback;
  // Lowercased model names and aliases → indices into models, in catalog order.
  std::unordered_map<std::string, std::vector<uint32_t>> by_name;
  std::unordered_map<std::string, std::vector<uint32_t>> by_alias;

  // Rebuilds the indexes and checks the catalog: known source ids, no overlapping validity
  // windows for one provider/model, ascending context tiers. Error code bad_catalog.
  Status finalize();
  const Source* find_source(const std::string& id) const;
};

enum class MatchKind { exact, alias, date_suffix, fallback };
const char* match_kind_name(MatchKind m);

struct Resolved {
  const ModelEntry* entry = nullptr;
  MatchKind matched_by = MatchKind::exact;
};

// Finds the entry pricing `model` (from `provider` if not empty) on `day` (days since epoch;
// nullopt = the entry whose validity is open-ended). Lookup order: exact model name, alias, the
// name without a date suffix (-2024-08-06, -20240806, @20240806), then an explicit fallback
// (the call's, else the catalog's). Errors: unknown_model, no_price_for_date.
Result<Resolved> resolve(const Catalog& c, const std::string& provider, const std::string& model,
                         std::optional<int32_t> day, const std::optional<Fallback>& call_fallback);

}  // namespace flk::cost
