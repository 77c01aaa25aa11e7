#include "cost/catalog.h"

#include <algorithm>

#include "util/ascii.h"
#include "util/civil_time.h"

namespace flk::cost {
namespace {

struct DimInfo {
  const char* name;
  const char* price_key;
  bool token;
};

constexpr DimInfo kDims[kDimCount] = {
    {"input", "input_mtok", true},
    {"cache_read", "cache_read_mtok", true},
    {"cache_write", "cache_write_mtok", true},
    {"cache_write_1h", "cache_write_1h_mtok", true},
    {"input_audio", "input_audio_mtok", true},
    {"cache_audio_read", "cache_audio_read_mtok", true},
    {"output", "output_mtok", true},
    {"reasoning", "reasoning_mtok", true},
    {"output_audio", "output_audio_mtok", true},
    {"request", "per_request", false},
    {"input_image", "per_input_image", false},
    {"output_image", "per_output_image", false},
    {"web_search", "per_web_search", false},
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "gpt-4o-2024-08-06" → "gpt-4o", "claude-3-5-sonnet-20241022" → "claude-3-5-sonnet",
// "claude-3-5-sonnet@20241022" → "claude-3-5-sonnet"; otherwise empty.
std::string strip_date_suffix(const std::string& m) {
  if (m.size() > 11 && (m[m.size() - 9] == '-' || m[m.size() - 9] == '@') && all_digits(std::string_view(m).substr(m.size() - 8)))
    return m.substr(0, m.size() - 9);
  if (m.size() > 11) {
    std::string_view t = std::string_view(m).substr(m.size() - 11);
    if (t[0] == '-' && all_digits(t.substr(1, 4)) && t[5] == '-' && all_digits(t.substr(6, 2)) && t[8] == '-' &&
        all_digits(t.substr(9, 2)))
      return m.substr(0, m.size() - 11);
  }
  return {};
}

bool valid_on(const ModelEntry& e, std::optional<int32_t> day) {
  if (!day) return e.valid_to == kOpenEnd;
  return *day >= e.valid_from && *day < e.valid_to;
}

}  // namespace

const char* dim_name(Dim d) { return kDims[static_cast<int>(d)].name; }
const char* dim_price_key(Dim d) { return kDims[static_cast<int>(d)].price_key; }
bool dim_is_token(Dim d) { return kDims[static_cast<int>(d)].token; }

std::optional<Dim> dim_from_name(std::string_view name) {
  for (int i = 0; i < kDimCount; ++i)
    if (name == kDims[i].name) return static_cast<Dim>(i);
  return std::nullopt;
}

std::optional<Dim> dim_from_price_key(std::string_view key) {
  for (int i = 0; i < kDimCount; ++i)
    if (key == kDims[i].price_key) return static_cast<Dim>(i);
  return std::nullopt;
}

void PriceSet::set(Dim d, PricePerM p, std::string src) {
  price[static_cast<int>(d)] = p;
  source[static_cast<int>(d)] = std::move(src);
  present |= 1u << static_cast<int>(d);
}

const char* match_kind_name(MatchKind m) {
  switch (m) {
    case MatchKind::exact: return "exact";
    case MatchKind::alias: return "alias";
    case MatchKind::date_suffix: return "date_suffix";
    case MatchKind::fallback: return "fallback";
  }
  return "exact";
}

const Source* Catalog::find_source(const std::string& id) const {
  for (const Source& s : sources)
    if (s.id == id) return &s;
  return nullptr;
}

Status Catalog::finalize() {
  by_name.clear();
  by_alias.clear();
  auto check_source = [&](const std::string& id, const std::string& where) -> Status {
    if (!id.empty() && !find_source(id))
      return make_error("bad_catalog", where + " names source \"" + id + "\", which the catalog does not list");
    return Ok{};
  };
  auto check_tiers = [&](const TierPrices& t, const std::string& where) -> Status {
    for (int d = 0; d < kDimCount; ++d) FLK_TRY(check_source(t.base.source[d], where));
    for (size_t i = 0; i < t.context.size(); ++i) {
      if (i > 0 && t.context[i].above_input_tokens <= t.context[i - 1].above_input_tokens)
        return make_error("bad_catalog", where + ": context tiers must have ascending thresholds");
      for (int d = 0; d < kDimCount; ++d) FLK_TRY(check_source(t.context[i].prices.source[d], where));
    }
    return Ok{};
  };
  for (uint32_t i = 0; i < models.size(); ++i) {
    const ModelEntry& e = models[i];
    std::string where = "model \"" + e.provider + "/" + e.model + "\"";
    if (e.model.empty()) return make_error("bad_catalog", "a model entry has an empty name");
    if (e.valid_from >= e.valid_to) return make_error("bad_catalog", where + ": effective_from is not before effective_to");
    if (e.source.empty()) return make_error("bad_catalog", where + " has no source");
    FLK_TRY(check_source(e.source, where));
    FLK_TRY(check_tiers(e.standard, where));
    for (const auto& t : e.service_tiers) FLK_TRY(check_tiers(t.second, where + " tier " + t.first));
    by_name[ascii_lower(e.model)].push_back(i);
    for (const std::string& a : e.aliases) by_alias[ascii_lower(a)].push_back(i);
  }
  // Versions of one provider/model must not overlap in time.
  for (const auto& kv : by_name) {
    const auto& ix = kv.second;
    for (size_t a = 0; a < ix.size(); ++a)
      for (size_t b = a + 1; b < ix.size(); ++b) {
        const ModelEntry& x = models[ix[a]];
        const ModelEntry& y = models[ix[b]];
        if (x.provider == y.provider && x.valid_from < y.valid_to && y.valid_from < x.valid_to)
          return make_error("bad_catalog", "model \"" + x.provider + "/" + x.model +
                                               "\" has two price versions valid on the same day");
      }
  }
  if (fallback) {
    auto it = by_name.find(ascii_lower(fallback->model));
    if (it == by_name.end()) return make_error("bad_catalog", "the fallback model \"" + fallback->model + "\" is not in the catalog");
  }
  return Ok{};
}

Result<Resolved> resolve(const Catalog& c, const std::string& provider, const std::string& model,
                         std::optional<int32_t> day, const std::optional<Fallback>& call_fallback) {
  // Model names are mostly lowercase already: only copy when they are not.
  std::string lowered;
  bool upper = std::any_of(model.begin(), model.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  if (upper) lowered = ascii_lower(model);
  const std::string& key = upper ? lowered : model;
  bool undated = false;  // a candidate exists but no version covers the day
  auto pick = [&](const std::vector<uint32_t>* ix, const std::string& prov) -> const ModelEntry* {
    if (!ix) return nullptr;
    for (uint32_t i : *ix) {
      const ModelEntry& e = c.models[i];
      if (!prov.empty() && e.provider != prov) continue;
      if (valid_on(e, day)) return &e;
      undated = true;
    }
    return nullptr;
  };
  auto find = [&](const std::unordered_map<std::string, std::vector<uint32_t>>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
  };
  auto lookup = [&](const std::string& k, const std::string& prov, Resolved* out) {
    if (const ModelEntry* e = pick(find(c.by_name, k), prov)) {
      *out = {e, MatchKind::exact};
      return true;
    }
    if (const ModelEntry* e = pick(find(c.by_alias, k), prov)) {
      *out = {e, MatchKind::alias};
      return true;
    }
    return false;
  };
  Resolved r;
  if (lookup(key, provider, &r)) return r;
  std::string stripped = strip_date_suffix(key);
  if (!stripped.empty() && lookup(stripped, provider, &r)) {
    r.matched_by = MatchKind::date_suffix;
    return r;
  }
  const std::optional<Fallback>& fb = call_fallback ? call_fallback : c.fallback;
  if (fb) {
    if (lookup(ascii_lower(fb->model), fb->provider, &r)) {
      r.matched_by = MatchKind::fallback;
      return r;
    }
    return make_error("unknown_model", "the fallback model \"" + fb->model + "\" has no price valid on that day");
  }
  std::string who = provider.empty() ? "" : " from provider \"" + provider + "\"";
  if (undated)
    return make_error("no_price_for_date", "the catalog prices \"" + model + "\"" + who + " but not on " +
                                               (day ? format_date(*day) : std::string("an open-ended date")));
  std::string hint;
  if (!provider.empty()) {
    Resolved any;
    if (lookup(key, "", &any) || (!stripped.empty() && lookup(stripped, "", &any)))
      hint = "; the catalog prices it for provider \"" + any.entry->provider + "\"";
  }
  return make_error("unknown_model", "no price for model \"" + model + "\"" + who + " in catalog \"" + c.version +
                                         "\"" + hint + " (configure a fallback model to price unknown models explicitly)");
}

}  // namespace flk::cost
