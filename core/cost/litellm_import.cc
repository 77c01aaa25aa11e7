#include "cost/litellm_import.h"

#include <algorithm>

#include "cost/catalog_json.h"
#include "json/fields.h"

namespace flk::cost {
namespace {

struct FieldDim {
  const char* field;
  Dim dim;
};

// LiteLLM's field names for the prices we model (per token, or per unit for the last three).
constexpr FieldDim kFields[] = {
    {"input_cost_per_token", Dim::input},
    {"output_cost_per_token", Dim::output},
    {"cache_read_input_token_cost", Dim::cache_read},
    {"input_cost_per_token_cache_hit", Dim::cache_read},  // DeepSeek entries' name for it
    {"cache_creation_input_token_cost", Dim::cache_write},
    {"cache_creation_input_token_cost_above_1hr", Dim::cache_write_1h},
    {"output_cost_per_reasoning_token", Dim::reasoning},
    {"input_cost_per_audio_token", Dim::input_audio},
    {"output_cost_per_audio_token", Dim::output_audio},
    {"cache_read_input_audio_token_cost", Dim::cache_audio_read},
    {"input_cost_per_request", Dim::request},
    {"input_cost_per_image", Dim::input_image},
    {"output_cost_per_image", Dim::output_image},
};

struct TierSuffix {
  const char* suffix;
  const char* tier;
};
constexpr TierSuffix kTierSuffixes[] = {{"_batches", "batch"}, {"_priority", "priority"}, {"_flex", "flex"}};

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

std::optional<Dim> base_dim(const std::string& f) {
  for (const FieldDim& fd : kFields)
    if (f == fd.field) return fd.dim;
  return std::nullopt;
}

// "<base>_above_<N>k_tokens" → base and N·1000.
bool split_context(const std::string& f, std::string* base, int64_t* threshold) {
  const std::string tail = "k_tokens";
  size_t at = f.rfind("_above_");
  if (at == std::string::npos || !ends_with(f, tail)) return false;
  std::string num = f.substr(at + 7, f.size() - tail.size() - at - 7);
  if (num.empty() || num.size() > 6 || !std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  *base = f.substr(0, at);
  *threshold = std::stoll(num) * 1000;
  return true;
}

// Where one LiteLLM field lands: tier ("" = standard), context threshold (0 = base), dimension.
struct Target {
  std::string tier;
  int64_t above = 0;
  Dim dim = Dim::input;
};

std::optional<Target> target_of(const std::string& field) {
  Target t;
  std::string f = field;
  for (const TierSuffix& ts : kTierSuffixes)
    if (ends_with(f, ts.suffix)) {
      t.tier = ts.tier;
      f = f.substr(0, f.size() - std::string(ts.suffix).size());
      break;
    }
  std::string base;
  if (split_context(f, &base, &t.above)) f = base;
  auto d = base_dim(f);
  if (!d) return std::nullopt;
  t.dim = *d;
  return t;
}

bool is_price_field(const std::string& f) { return f.find("cost") != std::string::npos; }

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

PriceSet& slot(ModelEntry& e, const Target& t) {
  TierPrices& tp = t.tier.empty() ? e.standard : e.service_tiers[t.tier];
  if (t.above == 0) return tp.base;
  for (ContextTier& c : tp.context)
    if (c.above_input_tokens == t.above) return c.prices;
  tp.context.push_back(ContextTier{t.above, {}});
  std::sort(tp.context.begin(), tp.context.end(),
            [](const ContextTier& a, const ContextTier& b) { return a.above_input_tokens < b.above_input_tokens; });
  for (ContextTier& c : tp.context)
    if (c.above_input_tokens == t.above) return c.prices;
  return tp.base;  // unreachable
}

}  // namespace

std::string otel_provider_of_litellm(const std::string& p) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"openai", "openai"},          {"text-completion-openai", "openai"}, {"azure", "azure.ai.openai"},
      {"azure_text", "azure.ai.openai"}, {"azure_ai", "azure.ai.inference"}, {"anthropic", "anthropic"},
      {"bedrock", "aws.bedrock"},    {"bedrock_converse", "aws.bedrock"}, {"gemini", "gcp.gemini"},
      {"mistral", "mistral_ai"},     {"codestral", "mistral_ai"},       {"deepseek", "deepseek"},
      {"xai", "x_ai"},               {"groq", "groq"},                  {"cohere", "cohere"},
      {"cohere_chat", "cohere"},     {"perplexity", "perplexity"},      {"watsonx", "ibm.watsonx.ai"},
  };
  for (const auto& kv : kMap)
    if (p == kv.first) return kv.second;
  if (p.rfind("vertex_ai", 0) == 0) return "gcp.vertex_ai";
  return p;
}

Result<Catalog> import_litellm(const json::Value& doc, const LitellmOptions& opt, LitellmReport* report) {
  if (!doc.is_object()) return json::wrong_type("$.litellm", "an object of model entries", doc);
  Catalog c;
  c.version = opt.version;
  Source src = opt.source;
  if (src.id.empty()) src.id = "litellm";
  if (src.name.empty()) src.name = "LiteLLM model_prices_and_context_window.json";
  c.sources.push_back(src);
  LitellmReport& rep = *report;
  for (const auto& kv : doc.as_object()) {
    const std::string& key = kv.first;
    const json::Value& v = kv.second;
    ++rep.entries;
    if (!opt.keys.empty() && !contains(opt.keys, key)) continue;
    if (!v.is_object()) {
      rep.skipped_models.emplace_back(key, "entry is not an object");
      continue;
    }
    const json::Value* mode = v.find("mode");
    if (!opt.modes.empty() && !(mode && mode->is_string() && contains(opt.modes, mode->as_string()))) continue;
    const json::Value* prov = v.find("litellm_provider");
    if (!prov || !prov->is_string()) {
      rep.skipped_models.emplace_back(key, "no litellm_provider");
      continue;
    }
    ModelEntry e;
    e.provider = otel_provider_of_litellm(prov->as_string());
    e.model = key;
    size_t slash = key.find('/');
    if (slash != std::string::npos && slash + 1 < key.size()) e.aliases.push_back(key.substr(slash + 1));
    if (opt.effective_from) e.valid_from = *opt.effective_from;
    e.source = src.id;
    std::vector<std::string> skipped_here;
    for (const auto& f : v.as_object()) {
      if (!is_price_field(f.first)) {
        if (f.first != "litellm_provider" && f.first != "mode") ++rep.ignored_fields[f.first];
        continue;
      }
      auto t = target_of(f.first);
      if (!t || !f.second.is_number()) {
        ++rep.skipped_price_fields[f.first];
        skipped_here.push_back(f.first);
        continue;
      }
      auto p = read_price(f.second, "$.litellm[\"" + key + "\"]." + f.first, /*per_unit=*/true);
      if (!p.ok() || *p < 0) {
        ++rep.skipped_price_fields[f.first];
        skipped_here.push_back(f.first);
        continue;
      }
      PriceSet& ps = slot(e, *t);
      if (ps.has(t->dim)) {
        if (ps.get(t->dim) != *p)
          rep.conflicts.push_back(key + ": " + f.first + " disagrees with another field for " + dim_name(t->dim) +
                                  "; kept cache_read_input_token_cost");
        if (f.first == "input_cost_per_token_cache_hit") continue;
      }
      ps.set(t->dim, *p);
    }
    if (e.standard.base.present == 0) {
      std::string why = "no usable price";
      if (!skipped_here.empty()) {
        why += " (only ";
        for (size_t i = 0; i < skipped_here.size() && i < 4; ++i) why += (i ? ", " : "") + skipped_here[i];
        why += skipped_here.size() > 4 ? ", …)" : ")";
      }
      rep.skipped_models.emplace_back(key, why);
      continue;
    }
    bool all_zero = true;
    for (int d = 0; d < kDimCount; ++d)
      if (e.standard.base.has(static_cast<Dim>(d)) && e.standard.base.get(static_cast<Dim>(d)) != 0) all_zero = false;
    if (all_zero) ++rep.zero_priced;
    c.models.push_back(std::move(e));
    ++rep.imported;
  }
  FLK_TRY(c.finalize());
  return c;
}

}  // namespace flk::cost
