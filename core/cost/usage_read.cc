#include "cost/usage_read.h"

#include <cstring>

#include "cost/pricing.h"
#include "cost/provider_names.h"
#include "util/ascii.h"
#include "util/civil_time.h"
#include "util/decimal.h"

namespace flk::cost {
namespace {

constexpr int64_t kMaxCount = int64_t{1} << 50;
constexpr size_t kMaxName = 512;

enum class Slot {
  input, cache_read, cache_write, cache_write_5m, cache_write_1h, input_audio, cache_audio_read, tool_prompt,
  output, reasoning, output_audio, web_searches, cache_miss, info, tier, kCount
};

struct FieldSpec {
  const char* path;  // dotted path inside the usage object
  Slot slot;
  bool modality_list = false;  // Gemini [{modality, tokenCount}]: only the AUDIO entry is read into slot
};

constexpr FieldSpec kOpenAiChat[] = {
    {"prompt_tokens", Slot::input},
    {"completion_tokens", Slot::output},
    {"total_tokens", Slot::info},
    {"prompt_tokens_details.cached_tokens", Slot::cache_read},
    {"prompt_tokens_details.cache_write_tokens", Slot::cache_write},
    {"prompt_tokens_details.audio_tokens", Slot::input_audio},
    {"prompt_tokens_details.text_tokens", Slot::info},
    {"prompt_tokens_details.image_tokens", Slot::info},
    {"prompt_tokens_details.video_tokens", Slot::info},
    {"num_cached_tokens", Slot::cache_read},  // Mistral's name for cached prompt tokens (inside prompt_tokens)
    {"completion_tokens_details.reasoning_tokens", Slot::reasoning},
    {"completion_tokens_details.audio_tokens", Slot::output_audio},
    {"completion_tokens_details.accepted_prediction_tokens", Slot::info},
    {"completion_tokens_details.rejected_prediction_tokens", Slot::info},
    {"completion_tokens_details.text_tokens", Slot::info},
    {"completion_tokens_details.image_tokens", Slot::info},
};
constexpr FieldSpec kOpenAiResponses[] = {
    {"input_tokens", Slot::input},
    {"output_tokens", Slot::output},
    {"total_tokens", Slot::info},
    {"input_tokens_details.cached_tokens", Slot::cache_read},
    {"input_tokens_details.cache_write_tokens", Slot::cache_write},
    {"input_tokens_details.audio_tokens", Slot::input_audio},
    {"input_tokens_details.text_tokens", Slot::info},
    {"input_tokens_details.image_tokens", Slot::info},
    {"output_tokens_details.reasoning_tokens", Slot::reasoning},
    {"output_tokens_details.text_tokens", Slot::info},
};
constexpr FieldSpec kAnthropic[] = {
    {"input_tokens", Slot::input},
    {"output_tokens", Slot::output},
    {"cache_creation_input_tokens", Slot::cache_write},
    {"cache_read_input_tokens", Slot::cache_read},
    {"cache_creation.ephemeral_5m_input_tokens", Slot::cache_write_5m},
    {"cache_creation.ephemeral_1h_input_tokens", Slot::cache_write_1h},
    {"server_tool_use.web_search_requests", Slot::web_searches},
    {"server_tool_use.web_fetch_requests", Slot::info},  // billed as the tokens it adds
    {"output_tokens_details.thinking_tokens", Slot::reasoning},
    {"service_tier", Slot::tier},
};
constexpr FieldSpec kGemini[] = {
    {"promptTokenCount", Slot::input},
    {"candidatesTokenCount", Slot::output},
    {"totalTokenCount", Slot::info},
    {"cachedContentTokenCount", Slot::cache_read},
    {"thoughtsTokenCount", Slot::reasoning},
    {"toolUsePromptTokenCount", Slot::tool_prompt},
    {"promptTokensDetails", Slot::input_audio, true},
    {"cacheTokensDetails", Slot::cache_audio_read, true},
    {"candidatesTokensDetails", Slot::output_audio, true},
    {"toolUsePromptTokensDetails", Slot::info, true},
    {"serviceTier", Slot::tier},
};
constexpr FieldSpec kBedrockConverse[] = {
    {"inputTokens", Slot::input},
    {"outputTokens", Slot::output},
    {"totalTokens", Slot::info},
    {"cacheReadInputTokens", Slot::cache_read},
    {"cacheWriteInputTokens", Slot::cache_write},
    {"cacheReadInputTokenCount", Slot::cache_read},
    {"cacheWriteInputTokenCount", Slot::cache_write},
};
constexpr FieldSpec kDeepSeek[] = {
    {"prompt_tokens", Slot::input},
    {"completion_tokens", Slot::output},
    {"total_tokens", Slot::info},
    {"prompt_cache_hit_tokens", Slot::cache_read},
    {"prompt_cache_miss_tokens", Slot::cache_miss},
    {"prompt_tokens_details.cached_tokens", Slot::cache_read},
    {"completion_tokens_details.reasoning_tokens", Slot::reasoning},
};
constexpr FieldSpec kXai[] = {
    {"prompt_tokens", Slot::input},
    {"completion_tokens", Slot::output},
    {"total_tokens", Slot::info},
    {"prompt_tokens_details.cached_tokens", Slot::cache_read},
    {"prompt_tokens_details.text_tokens", Slot::info},
    {"prompt_tokens_details.image_tokens", Slot::info},
    {"prompt_tokens_details.audio_tokens", Slot::input_audio},
    {"completion_tokens_details.reasoning_tokens", Slot::reasoning},
    {"completion_tokens_details.audio_tokens", Slot::output_audio},
    {"completion_tokens_details.accepted_prediction_tokens", Slot::info},
    {"completion_tokens_details.rejected_prediction_tokens", Slot::info},
    {"reasoning_tokens", Slot::reasoning},
    {"cached_prompt_text_tokens", Slot::cache_read},
};
constexpr FieldSpec kOtel[] = {
    {"gen_ai.usage.input_tokens", Slot::input},
    {"gen_ai.usage.output_tokens", Slot::output},
    {"gen_ai.usage.cache_read.input_tokens", Slot::cache_read},
    {"gen_ai.usage.cache_creation.input_tokens", Slot::cache_write},
    {"gen_ai.usage.reasoning.output_tokens", Slot::reasoning},
    {"gen_ai.usage.total_tokens", Slot::info},
    {"gen_ai.usage.prompt_tokens", Slot::input},       // deprecated name of input_tokens
    {"gen_ai.usage.completion_tokens", Slot::output},  // deprecated name of output_tokens
};

struct Table {
  const FieldSpec* begin;
  size_t size;
};

template <size_t N>
constexpr Table table(const FieldSpec (&a)[N]) {
  return {a, N};
}

Table table_of(Api api) {
  switch (api) {
    case Api::openai_chat: return table(kOpenAiChat);
    case Api::openai_responses: return table(kOpenAiResponses);
    case Api::anthropic_messages: return table(kAnthropic);
    case Api::gemini: return table(kGemini);
    case Api::bedrock_converse: return table(kBedrockConverse);
    case Api::deepseek_chat: return table(kDeepSeek);
    case Api::xai_chat: return table(kXai);
    case Api::otel: return table(kOtel);
  }
  return table(kOpenAiChat);
}

const FieldSpec* find_spec(const Table& t, const std::string& path) {
  for (size_t i = 0; i < t.size; ++i)
    if (path == t.begin[i].path) return &t.begin[i];
  return nullptr;
}

bool mentions_tokens(const std::string& key) {
  return ascii_lower(key).find("token") != std::string::npos;
}

// Values gathered from the object, each slot at most once (or twice with the same value).
struct Collected {
  std::optional<int64_t> v[static_cast<int>(Slot::kCount)];
  std::string tier;
  std::vector<std::string> ignored;

  Status put(Slot s, int64_t x, const std::string& path) {
    auto& cur = v[static_cast<int>(s)];
    if (s == Slot::info) return Ok{};
    if (cur && *cur != x)
      return make_error("inconsistent_usage", path + " = " + std::to_string(x) + " contradicts another field with the same meaning (" +
                                                  std::to_string(*cur) + ")", path);
    cur = x;
    return Ok{};
  }
  int64_t get(Slot s) const { return v[static_cast<int>(s)].value_or(0); }
  bool has(Slot s) const { return v[static_cast<int>(s)].has_value(); }
};

Result<int64_t> read_count(const json::Value& v, const std::string& path) {
  return json::read_int(v, path, 0, kMaxCount);
}

Status read_modality_list(const json::Value& v, const std::string& path, Slot slot, Collected& c) {
  if (!v.is_array()) return json::wrong_type(path, "an array of {modality, tokenCount}", v);
  if (v.as_array().size() > 64) return make_error("too_large", path + " has too many entries", path);
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    std::string p = json::index_path(path, i);
    FLK_ASSIGN(auto r, json::ObjectReader::open(v.as_array()[i], p));
    FLK_ASSIGN(std::string modality, r.string("modality", 64));
    FLK_ASSIGN(auto n, r.opt_integer("tokenCount", 0, kMaxCount));
    FLK_TRY(r.finish());
    if (modality == "AUDIO") FLK_TRY(c.put(slot, n.value_or(0), r.path_of("tokenCount")));
  }
  return Ok{};
}

Status walk(const json::Value& obj, const std::string& prefix, const std::string& jpath, const Table& t,
            Collected& c, int depth) {
  if (depth > 4) return make_error("too_deep", jpath + " is nested too deeply for a usage object", jpath);
  for (const auto& m : obj.as_object()) {
    std::string dotted = prefix.empty() ? m.first : prefix + "." + m.first;
    std::string jp = json::join_path(jpath, m.first);
    const json::Value& v = m.second;
    const FieldSpec* spec = find_spec(t, dotted);
    if (v.is_null()) continue;  // providers send null for "not applicable"
    if (spec) {
      if (spec->modality_list) {
        FLK_TRY(read_modality_list(v, jp, spec->slot, c));
      } else if (spec->slot == Slot::tier) {
        FLK_ASSIGN(c.tier, json::read_string(v, jp, 64));
      } else {
        FLK_ASSIGN(int64_t x, read_count(v, jp));
        FLK_TRY(c.put(spec->slot, x, jp));
      }
    } else if (v.is_object()) {
      FLK_TRY(walk(v, dotted, jp, t, c, depth + 1));
    } else if (v.is_number() && mentions_tokens(m.first) && v.as_double() != 0) {
      return make_error("unknown_usage_field",
                        jp + " counts tokens in a way this API's rule does not know; it may be billable, so it is not "
                             "ignored (report it, or remove it if it is informational)",
                        jp);
    } else {
      c.ignored.push_back(jp);
    }
  }
  return Ok{};
}

// OTLP JSON attributes [{key, value: {intValue | stringValue | doubleValue | boolValue}}] → a map.
Result<json::Value> otlp_attributes(const json::Value& arr, const std::string& path) {
  if (arr.as_array().size() > 1024) return make_error("too_large", path + " has too many attributes", path);
  json::Value out = json::Value::object();
  for (size_t i = 0; i < arr.as_array().size(); ++i) {
    std::string p = json::index_path(path, i);
    FLK_ASSIGN(auto r, json::ObjectReader::open(arr.as_array()[i], p));
    FLK_ASSIGN(std::string key, r.string("key", kMaxName));
    FLK_ASSIGN(const json::Value* val, r.required("value"));
    FLK_TRY(r.finish());
    FLK_ASSIGN(auto vr, json::ObjectReader::open(*val, r.path_of("value")));
    json::Value x;
    if (const json::Value* s = vr.optional("stringValue")) {
      FLK_ASSIGN(std::string sv, json::read_string(*s, vr.path_of("stringValue"), 4096));
      x = json::Value(sv);
    } else if (const json::Value* n = vr.optional("intValue")) {
      // OTLP JSON writes 64-bit integers as strings.
      if (n->is_string()) {
        bool rounded = false;
        auto parsed = parse_decimal(n->as_string(), 0, &rounded);
        if (!parsed.ok() || rounded)
          return make_error("wrong_type", vr.path_of("intValue") + " is not an integer", vr.path_of("intValue"));
        x = json::Value(*parsed);
      } else {
        FLK_ASSIGN(int64_t iv, json::read_int(*n, vr.path_of("intValue")));
        x = json::Value(iv);
      }
    } else if (const json::Value* d = vr.optional("doubleValue")) {
      FLK_ASSIGN(double dv, json::read_number(*d, vr.path_of("doubleValue")));
      x = json::Value(dv);
    } else if (const json::Value* b = vr.optional("boolValue")) {
      FLK_ASSIGN(bool bv, json::read_bool(*b, vr.path_of("boolValue")));
      x = json::Value(bv);
    }
    FLK_TRY(vr.finish());
    out.set(key, std::move(x));
  }
  return out;
}

// Reads OpenTelemetry attributes: usage counts via the table, identity attributes here.
Status read_otel(const json::Value& attrs, const std::string& path, UsageInput& u, Collected& c) {
  const Table t = table(kOtel);
  std::string response_model, request_model;
  for (const auto& m : attrs.as_object()) {
    const std::string& k = m.first;
    std::string jp = json::join_path(path, k);
    if (m.second.is_null()) continue;
    if (const FieldSpec* spec = find_spec(t, k)) {
      FLK_ASSIGN(int64_t x, read_count(m.second, jp));
      FLK_TRY(c.put(spec->slot, x, jp));
    } else if (k == "gen_ai.provider.name" || k == "gen_ai.system") {
      FLK_ASSIGN(std::string p, json::read_string(m.second, jp, kMaxName));
      if (u.provider.empty() || k == "gen_ai.provider.name") u.provider = canonical_provider(p);
    } else if (k == "gen_ai.response.model") {
      FLK_ASSIGN(response_model, json::read_string(m.second, jp, kMaxName));
    } else if (k == "gen_ai.request.model") {
      FLK_ASSIGN(request_model, json::read_string(m.second, jp, kMaxName));
    } else if (k == "gen_ai.openai.response.service_tier" || k == "openai.response.service_tier" ||
               k == "gen_ai.openai.request.service_tier") {
      FLK_ASSIGN(c.tier, json::read_string(m.second, jp, 64));
    } else if (k.rfind("gen_ai.usage.", 0) == 0) {
      return make_error("unknown_usage_field", jp + " is a usage attribute this version does not know; it may be billable", jp);
    } else {
      c.ignored.push_back(jp);
    }
  }
  // The model that answered is what is billed; the requested one is the fallback.
  if (u.model.empty()) u.model = !response_model.empty() ? response_model : request_model;
  return Ok{};
}

Result<Api> detect_api(const json::Value& usage, const std::string& provider, const std::string& path) {
  auto has = [&](const char* k) { return usage.find(k) != nullptr; };
  if (has("promptTokenCount") || has("candidatesTokenCount") || has("cachedContentTokenCount")) return Api::gemini;
  if (has("inputTokens") || has("outputTokens")) return Api::bedrock_converse;
  if (has("prompt_cache_hit_tokens") || has("prompt_cache_miss_tokens")) return Api::deepseek_chat;
  if (has("cache_creation_input_tokens") || has("cache_read_input_tokens")) return Api::anthropic_messages;
  if (has("prompt_tokens") || has("completion_tokens")) {
    if (provider == "x_ai") return Api::xai_chat;
    if (provider == "deepseek") return Api::deepseek_chat;
    return Api::openai_chat;
  }
  if (has("input_tokens") || has("output_tokens")) {
    if (provider == "anthropic") return Api::anthropic_messages;
    if (provider == "openai" || provider == "azure.ai.openai") return Api::openai_responses;
    return make_error("ambiguous_usage",
                      path + " has input_tokens/output_tokens, which Anthropic (cache excluded) and the OpenAI "
                             "Responses API (cache included) both use; give api or provider",
                      path);
  }
  return make_error("ambiguous_usage", path + " is not a usage object of a known API; give api", path);
}

Status set_count(json::ObjectReader& r, const char* key, int64_t* slot, bool provider_given) {
  FLK_ASSIGN(auto v, r.opt_integer(key, 0, kMaxCount));
  if (!v) return Ok{};
  if (provider_given && *slot != 0 && *slot != *v)
    return make_error("conflicting_fields", r.path_of(key) + " contradicts the provider's usage object", r.path_of(key));
  *slot = *v;
  return Ok{};
}

}  // namespace

Result<int64_t> read_timestamp(const json::Value& v, const std::string& path) {
  if (v.is_int()) return json::read_int(v, path, -(int64_t{1} << 53), int64_t{1} << 53);
  FLK_ASSIGN(std::string s, json::read_string(v, path, 64));
  auto ms = parse_timestamp_ms(s);
  if (!ms.ok()) return make_error(ms.error().code, path + ": " + ms.error().message, path);
  return *ms;
}

Result<UsageInput> read_usage_fields(json::ObjectReader& r) {
  UsageInput u;
  FLK_ASSIGN(auto provider, r.opt_string("provider", kMaxName));
  FLK_ASSIGN(auto api_id, r.opt_string("api", 64));
  FLK_ASSIGN(auto model, r.opt_string("model", kMaxName));
  FLK_ASSIGN(auto tier, r.opt_string("service_tier", 64));
  FLK_ASSIGN(u.cache_in_input, r.opt_boolean("cache_in_input"));
  if (const json::Value* ts = r.optional("timestamp")) {
    FLK_ASSIGN(u.timestamp_ms, read_timestamp(*ts, r.path_of("timestamp")));
  }
  u.provider = canonical_provider(provider.value_or(""));
  u.model = model.value_or("");
  if (api_id) {
    auto a = api_from_id(*api_id);
    if (!a)
      return make_error("out_of_range",
                        r.path_of("api") + " must be one of openai.chat, openai.responses, anthropic.messages, gemini, "
                                           "bedrock.converse, deepseek.chat, xai.chat, otel",
                        r.path_of("api"));
    u.api = *a;
  }
  const json::Value* usage = r.optional("usage");
  const json::Value* response = r.optional("response");
  const json::Value* attributes = r.optional("attributes");
  int given = (usage != nullptr) + (response != nullptr) + (attributes != nullptr);
  if (given != 1)
    return make_error(given == 0 ? "missing_field" : "conflicting_fields",
                      "give exactly one of usage (a provider usage object), response (a whole response body) or "
                      "attributes (OpenTelemetry GenAI attributes)",
                      r.path_of(given == 0 ? "usage" : "attributes"));
  Collected c;
  if (attributes) {
    std::string ap = r.path_of("attributes");
    if (api_id && u.api != Api::otel)
      return make_error("conflicting_fields", r.path_of("api") + " must be otel (or absent) with attributes", r.path_of("api"));
    u.api = Api::otel;
    json::Value map;
    if (attributes->is_array()) {
      FLK_ASSIGN(map, otlp_attributes(*attributes, ap));
    } else if (attributes->is_object()) {
      map = *attributes;
    } else {
      return json::wrong_type(ap, "an object or an OTLP attribute array", *attributes);
    }
    std::string saved = u.model;
    if (!provider) u.provider.clear();
    FLK_TRY(read_otel(map, ap, u, c));
    if (provider) u.provider = canonical_provider(*provider);
    if (!saved.empty()) u.model = saved;
  } else {
    const json::Value* body = usage;
    std::string bp = r.path_of("usage");
    if (response) {
      std::string rp = r.path_of("response");
      if (!response->is_object()) return json::wrong_type(rp, "an object", *response);
      body = response->find("usage");
      bp = json::join_path(rp, "usage");
      if (!body) {
        body = response->find("usageMetadata");
        bp = json::join_path(rp, "usageMetadata");
      }
      if (!body) return make_error("missing_field", rp + " has neither usage nor usageMetadata", rp);
      const json::Value* m = response->find("model");
      if (!m) m = response->find("modelVersion");
      if (u.model.empty() && m && m->is_string()) u.model = m->as_string();
      const json::Value* st = response->find("service_tier");
      if (st && st->is_string()) c.tier = st->as_string();
    }
    if (!body->is_object()) return json::wrong_type(bp, "an object", *body);
    if (!api_id) {
      FLK_ASSIGN(u.api, detect_api(*body, u.provider, bp));
    } else if (u.api == Api::otel) {
      return make_error("conflicting_fields", r.path_of("api") + " otel needs attributes, not a usage object", r.path_of("api"));
    }
    FLK_TRY(walk(*body, "", bp, table_of(u.api), c, 0));
  }
  if (u.model.empty())
    return make_error("missing_field", r.path_of("model") + " is required (no model in the response or attributes)",
                      r.path_of("model"));
  ReportedUsage& ru = u.usage;
  ru.input = c.get(Slot::input);
  ru.output = c.get(Slot::output);
  ru.cache_read = c.get(Slot::cache_read);
  ru.cache_write = c.get(Slot::cache_write);
  ru.cache_write_1h = c.get(Slot::cache_write_1h);
  if (c.has(Slot::cache_write_5m) || c.has(Slot::cache_write_1h)) {
    int64_t split = c.get(Slot::cache_write_5m) + c.get(Slot::cache_write_1h);
    if (!c.has(Slot::cache_write)) {
      ru.cache_write = split;
    } else if (split != ru.cache_write) {
      return make_error("inconsistent_usage",
                        "cache writes by TTL (" + std::to_string(split) + ") do not add up to cache_creation_input_tokens (" +
                            std::to_string(ru.cache_write) + ")");
    }
  }
  if (c.has(Slot::cache_miss) && c.get(Slot::cache_miss) + ru.cache_read != ru.input)
    return make_error("inconsistent_usage", "prompt_cache_hit_tokens + prompt_cache_miss_tokens != prompt_tokens");
  ru.input_audio = c.get(Slot::input_audio);
  ru.cache_audio_read = c.get(Slot::cache_audio_read);
  ru.tool_prompt = c.get(Slot::tool_prompt);
  ru.reasoning = c.get(Slot::reasoning);
  ru.output_audio = c.get(Slot::output_audio);
  ru.web_searches = c.get(Slot::web_searches);
  FLK_TRY(set_count(r, "requests", &ru.requests, false));
  FLK_TRY(set_count(r, "input_images", &ru.input_images, false));
  FLK_TRY(set_count(r, "output_images", &ru.output_images, false));
  FLK_TRY(set_count(r, "web_searches", &ru.web_searches, true));
  auto t = canonical_tier(tier ? *tier : c.tier);
  if (!t.ok()) return make_error(t.error().code, t.error().message, tier ? r.path_of("service_tier") : r.path());
  u.service_tier = *t;
  u.ignored = std::move(c.ignored);
  return u;
}

}  // namespace flk::cost
