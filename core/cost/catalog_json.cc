#include "cost/catalog_json.h"

#include "json/decimal_field.h"
#include "json/fields.h"
#include "util/civil_time.h"

namespace flk::cost {
namespace {

constexpr size_t kMaxModels = 50000;
constexpr size_t kMaxAliases = 256;
constexpr size_t kMaxTiers = 16;
constexpr size_t kMaxName = 512;

Error at(Error e, const std::string& path) {
  if (e.path.empty()) {
    e.message = path + ": " + e.message;
    e.path = path;
  }
  return e;
}

Result<int32_t> read_day(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(std::string s, json::read_string(v, path, 64));
  if (s.size() != 10) return make_error("bad_timestamp", path + " must be a date YYYY-MM-DD", path);
  auto ms = parse_timestamp_ms(s);
  if (!ms.ok()) return at(ms.error(), path);
  return static_cast<int32_t>(floor_div(*ms, kMsPerDay));
}

Result<PriceSet> read_prices(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  PriceSet ps;
  for (const auto& m : v.as_object()) {
    auto d = dim_from_price_key(m.first);
    if (!d) continue;  // finish() reports it
    r.optional(m.first);
    FLK_ASSIGN(PricePerM p, read_price(m.second, r.path_of(m.first), !dim_is_token(*d)));
    if (p < 0) return make_error("out_of_range", r.path_of(m.first) + " must not be negative", r.path_of(m.first));
    ps.set(*d, p);
  }
  FLK_TRY(r.finish());
  return ps;
}

Result<TierPrices> read_tier_prices(json::ObjectReader& r) {
  TierPrices t;
  FLK_ASSIGN(const json::Value* p, r.required("prices"));
  FLK_ASSIGN(t.base, read_prices(*p, r.path_of("prices")));
  if (const json::Value* ct = r.optional("context_tiers")) {
    std::string cp = r.path_of("context_tiers");
    if (!ct->is_array()) return json::wrong_type(cp, "an array", *ct);
    if (ct->as_array().size() > kMaxTiers) return make_error("too_large", cp + " has too many tiers", cp);
    for (size_t i = 0; i < ct->as_array().size(); ++i) {
      FLK_ASSIGN(auto tr, json::ObjectReader::open(ct->as_array()[i], json::index_path(cp, i)));
      ContextTier tier;
      FLK_ASSIGN(tier.above_input_tokens, tr.integer("above_input_tokens", 0, int64_t{1} << 40));
      FLK_ASSIGN(const json::Value* tp, tr.required("prices"));
      FLK_ASSIGN(tier.prices, read_prices(*tp, tr.path_of("prices")));
      FLK_TRY(tr.finish());
      t.context.push_back(std::move(tier));
    }
  }
  return t;
}

Result<std::vector<std::string>> read_names(const json::Value& v, const std::string& path) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  if (v.as_array().size() > kMaxAliases) return make_error("too_large", path + " has too many names", path);
  std::vector<std::string> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    FLK_ASSIGN(std::string s, json::read_string(v.as_array()[i], json::index_path(path, i), kMaxName));
    out.push_back(std::move(s));
  }
  return out;
}

Result<ModelEntry> read_entry(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  ModelEntry e;
  FLK_ASSIGN(e.provider, r.string("provider", kMaxName));
  FLK_ASSIGN(e.model, r.string("model", kMaxName));
  if (const json::Value* a = r.optional("aliases")) {
    FLK_ASSIGN(e.aliases, read_names(*a, r.path_of("aliases")));
  }
  if (const json::Value* f = r.optional("effective_from"); f && !f->is_null()) {
    FLK_ASSIGN(e.valid_from, read_day(*f, r.path_of("effective_from")));
  }
  if (const json::Value* t = r.optional("effective_to"); t && !t->is_null()) {
    FLK_ASSIGN(e.valid_to, read_day(*t, r.path_of("effective_to")));
  }
  FLK_ASSIGN(e.source, r.string("source", kMaxName));
  FLK_ASSIGN(e.standard, read_tier_prices(r));
  if (const json::Value* ps = r.optional("price_sources")) {
    FLK_ASSIGN(auto pr, json::ObjectReader::open(*ps, r.path_of("price_sources")));
    for (const auto& m : ps->as_object()) {
      auto d = dim_from_price_key(m.first);
      if (!d) continue;
      pr.optional(m.first);
      std::string p = pr.path_of(m.first);
      if (!e.standard.base.has(*d)) return make_error("bad_catalog", p + " names a price the entry does not set", p);
      FLK_ASSIGN(e.standard.base.source[static_cast<int>(*d)], json::read_string(m.second, p, kMaxName));
    }
    FLK_TRY(pr.finish());
  }
  if (const json::Value* st = r.optional("service_tiers")) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*st, r.path_of("service_tiers")));
    for (const auto& m : st->as_object()) {
      sr.optional(m.first);
      if (m.first == "standard" || m.first.empty())
        return make_error("bad_catalog", sr.path_of(m.first) + ": the standard tier is the entry's own prices",
                          sr.path_of(m.first));
      FLK_ASSIGN(auto tr, json::ObjectReader::open(m.second, sr.path_of(m.first)));
      FLK_ASSIGN(TierPrices tp, read_tier_prices(tr));
      FLK_TRY(tr.finish());
      e.service_tiers[m.first] = std::move(tp);
    }
  }
  FLK_TRY(r.finish());
  return e;
}

json::Value prices_json(const PriceSet& ps) {
  json::Value o = json::Value::object();
  for (int d = 0; d < kDimCount; ++d) {
    Dim dim = static_cast<Dim>(d);
    if (ps.has(dim)) o.set(dim_price_key(dim), dim_is_token(dim) ? usd_per_m(ps.get(dim)) : usd_per_unit(ps.get(dim)));
  }
  return o;
}

void tier_json(const TierPrices& t, json::Value& o) {
  o.set("prices", prices_json(t.base));
  if (!t.context.empty()) {
    json::Value arr = json::Value::array();
    for (const ContextTier& c : t.context) {
      json::Value x = json::Value::object();
      x.set("above_input_tokens", c.above_input_tokens).set("prices", prices_json(c.prices));
      arr.push(std::move(x));
    }
    o.set("context_tiers", std::move(arr));
  }
}

}  // namespace

Result<PricePerM> read_price(const json::Value& v, const std::string& path, bool per_unit) {
  return json::read_scaled_decimal(v, path, per_unit ? kPriceUnitScale : kPriceMScale);
}

Result<Catalog> catalog_from_json(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(std::string format, r.string("format", 64));
  if (format != kCatalogFormat)
    return make_error("out_of_range", r.path_of("format") + " must be \"" + kCatalogFormat + "\"", r.path_of("format"));
  Catalog c;
  FLK_ASSIGN(c.version, r.string("version", kMaxName));
  FLK_ASSIGN(const json::Value* srcs, r.required("sources"));
  std::string sp = r.path_of("sources");
  if (!srcs->is_array()) return json::wrong_type(sp, "an array", *srcs);
  if (srcs->as_array().size() > kMaxAliases) return make_error("too_large", sp + " has too many sources", sp);
  for (size_t i = 0; i < srcs->as_array().size(); ++i) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(srcs->as_array()[i], json::index_path(sp, i)));
    Source s;
    FLK_ASSIGN(s.id, sr.string("id", kMaxName));
    FLK_ASSIGN(s.name, sr.string("name", kMaxName));
    FLK_ASSIGN(auto url, sr.opt_string("url", 2048));
    FLK_ASSIGN(auto as_of, sr.opt_string("as_of", 64));
    FLK_ASSIGN(auto ref, sr.opt_string("reference", 2048));
    FLK_TRY(sr.finish());
    s.url = url.value_or("");
    s.reference = ref.value_or("");
    if (as_of) {
      FLK_TRY(read_day(json::Value(*as_of), sr.path_of("as_of")));
      s.as_of = *as_of;
    }
    if (c.find_source(s.id)) return make_error("bad_catalog", sr.path_of("id") + ": duplicate source id", sr.path_of("id"));
    c.sources.push_back(std::move(s));
  }
  if (const json::Value* fb = r.optional("fallback"); fb && !fb->is_null()) {
    FLK_ASSIGN(auto fr, json::ObjectReader::open(*fb, r.path_of("fallback")));
    Fallback f;
    FLK_ASSIGN(f.model, fr.string("model", kMaxName));
    FLK_ASSIGN(auto prov, fr.opt_string("provider", kMaxName));
    FLK_TRY(fr.finish());
    f.provider = prov.value_or("");
    c.fallback = f;
  }
  FLK_ASSIGN(const json::Value* models, r.required("models"));
  std::string mp = r.path_of("models");
  if (!models->is_array()) return json::wrong_type(mp, "an array", *models);
  if (models->as_array().size() > kMaxModels) return make_error("too_large", mp + " has too many models", mp);
  c.models.reserve(models->as_array().size());
  for (size_t i = 0; i < models->as_array().size(); ++i) {
    FLK_ASSIGN(ModelEntry e, read_entry(models->as_array()[i], json::index_path(mp, i)));
    c.models.push_back(std::move(e));
  }
  FLK_TRY(r.finish());
  auto st = c.finalize();
  if (!st.ok()) return at(st.error(), path);
  return c;
}

json::Value entry_to_json(const ModelEntry& e) {
  json::Value o = json::Value::object();
  o.set("provider", e.provider).set("model", e.model).set("source", e.source);
  if (!e.aliases.empty()) {
    json::Value a = json::Value::array();
    for (const std::string& s : e.aliases) a.push(s);
    o.set("aliases", std::move(a));
  }
  if (e.valid_from != kOpenStart) o.set("effective_from", format_date(e.valid_from));
  if (e.valid_to != kOpenEnd) o.set("effective_to", format_date(e.valid_to));
  tier_json(e.standard, o);
  json::Value ps = json::Value::object();
  for (int d = 0; d < kDimCount; ++d)
    if (e.standard.base.has(static_cast<Dim>(d)) && !e.standard.base.source[d].empty())
      ps.set(dim_price_key(static_cast<Dim>(d)), e.standard.base.source[d]);
  if (!ps.as_object().empty()) o.set("price_sources", std::move(ps));
  if (!e.service_tiers.empty()) {
    json::Value st = json::Value::object();
    for (const auto& t : e.service_tiers) {
      json::Value x = json::Value::object();
      tier_json(t.second, x);
      st.set(t.first, std::move(x));
    }
    o.set("service_tiers", std::move(st));
  }
  return o;
}

json::Value catalog_to_json(const Catalog& c) {
  json::Value o = json::Value::object();
  o.set("format", kCatalogFormat).set("version", c.version);
  json::Value srcs = json::Value::array();
  for (const Source& s : c.sources) {
    json::Value x = json::Value::object();
    x.set("id", s.id).set("name", s.name);
    if (!s.url.empty()) x.set("url", s.url);
    if (!s.as_of.empty()) x.set("as_of", s.as_of);
    if (!s.reference.empty()) x.set("reference", s.reference);
    srcs.push(std::move(x));
  }
  o.set("sources", std::move(srcs));
  if (c.fallback) {
    json::Value f = json::Value::object();
    f.set("model", c.fallback->model);
    if (!c.fallback->provider.empty()) f.set("provider", c.fallback->provider);
    o.set("fallback", std::move(f));
  }
  json::Value models = json::Value::array();
  for (const ModelEntry& e : c.models) models.push(entry_to_json(e));
  o.set("models", std::move(models));
  return o;
}

}  // namespace flk::cost
