// Cost ops, part 1: the price catalog (get, load, reset, LiteLLM import), price lookup and
// usage → cost. add_cost_ops gathers the other cost op files.
#include "facade/ops_cost.h"

#include <algorithm>

#include "cost/attribution.h"
#include "cost/catalog_json.h"
#include "cost/litellm_import.h"
#include "cost/provider_names.h"
#include "cost/state.h"
#include "crypto/hash.h"
#include "facade/engine.h"
#include "json/write.h"
#include "json/decimal_field.h"
#include "util/civil_time.h"

namespace flk {

using cost::Catalog;

Result<const Catalog*> call_catalog(Engine& engine, json::ObjectReader& r, std::optional<Catalog>* holder) {
  if (const json::Value* c = r.optional("catalog")) {
    FLK_ASSIGN(*holder, cost::catalog_from_json(*c, r.path_of("catalog")));
    return &**holder;
  }
  return &engine.cost().catalog();
}

Result<std::optional<cost::Fallback>> read_fallback(json::ObjectReader& r) {
  const json::Value* f = r.optional("fallback");
  if (!f) return std::optional<cost::Fallback>();
  FLK_ASSIGN(auto fr, json::ObjectReader::open(*f, r.path_of("fallback")));
  cost::Fallback fb;
  FLK_ASSIGN(fb.model, fr.string("model", 512));
  FLK_ASSIGN(auto prov, fr.opt_string("provider", 512));
  FLK_TRY(fr.finish());
  fb.provider = prov.value_or("");
  return std::optional<cost::Fallback>(fb);
}

json::Value source_json(const Catalog& c, const std::string& id) {
  json::Value o = json::Value::object();
  const cost::Source* s = c.find_source(id);
  o.set("id", id);
  if (!s) return o;
  o.set("name", s->name);
  if (!s->url.empty()) o.set("url", s->url);
  if (!s->as_of.empty()) o.set("as_of", s->as_of);
  if (!s->reference.empty()) o.set("reference", s->reference);
  return o;
}

Result<PricedUsage> price_usage(const Catalog& c, cost::UsageInput in, const std::optional<cost::Fallback>& fb) {
  PricedUsage p;
  std::optional<int32_t> day;
  if (in.timestamp_ms) day = static_cast<int32_t>(floor_div(*in.timestamp_ms, kMsPerDay));
  FLK_ASSIGN(p.resolved, cost::resolve(c, in.provider, in.model, day, fb));
  FLK_ASSIGN(p.quantities, cost::normalize(cost::rule_of(in.api), in.usage, in.cache_in_input));
  FLK_ASSIGN(p.priced, cost::price(*p.resolved.entry, p.quantities, in.service_tier));
  if (p.resolved.matched_by == cost::MatchKind::fallback)
    p.priced.notes.insert(p.priced.notes.begin(), "\"" + in.model + "\" is not in the catalog: priced as the fallback model " +
                                                      p.resolved.entry->model);
  if (in.cache_in_input && *in.cache_in_input != cost::rule_of(in.api).cache_in_input)
    p.priced.notes.push_back(std::string("cache_in_input overrides the ") + cost::rule_of(in.api).id + " rule");
  p.in = std::move(in);
  return p;
}

json::Value priced_usage_json(const Catalog& c, const PricedUsage& p) {
  const cost::ModelEntry& e = *p.resolved.entry;
  json::Value priced_as = json::Value::object();
  priced_as.set("provider", e.provider).set("model", e.model).set("matched_by", cost::match_kind_name(p.resolved.matched_by));
  if (e.valid_from != cost::kOpenStart) priced_as.set("effective_from", format_date(e.valid_from));
  if (e.valid_to != cost::kOpenEnd) priced_as.set("effective_to", format_date(e.valid_to));
  priced_as.set("source", e.source);
  json::Value qty = json::Value::object(), unit = json::Value::object(), costs = json::Value::object();
  for (const cost::CostLine& l : p.priced.lines) {
    qty.set(cost::dim_name(l.dim), l.quantity);
    unit.set(cost::dim_name(l.dim), cost::dim_is_token(l.dim) ? cost::usd_per_m(l.unit_price) : cost::usd_per_unit(l.unit_price));
    costs.set(cost::dim_name(l.dim), cost::usd(l.cost));
  }
  json::Value notes = json::Value::array(), ignored = json::Value::array();
  for (const std::string& n : p.priced.notes) notes.push(n);
  for (const std::string& n : p.in.ignored) ignored.push(n);
  json::Value o = json::Value::object();
  o.set("api", cost::rule_of(p.in.api).id)
      .set("rule", cost::rule_text(cost::rule_of(p.in.api)))
      .set("provider", p.in.provider)
      .set("model", p.in.model)
      .set("priced_as", std::move(priced_as))
      .set("catalog_version", c.version)
      .set("service_tier", p.priced.service_tier)
      .set("quantities", std::move(qty))
      .set("unit_prices", std::move(unit))
      .set("cost_usd", std::move(costs))
      .set("total_usd", cost::usd(p.priced.total))
      .set("notes", std::move(notes))
      .set("ignored_fields", std::move(ignored));
  if (p.priced.context_above > 0) o.set("context_tier_above", p.priced.context_above);
  return o;
}

Result<std::optional<cost::CostColumn>> read_cost_column(json::ObjectReader& r) {
  using cost::CostColumn;
  return r.opt_choice<CostColumn>("cost_column", {{column_name(CostColumn::billed), CostColumn::billed},
                                                  {column_name(CostColumn::effective), CostColumn::effective},
                                                  {column_name(CostColumn::list), CostColumn::list}});
}

Result<std::vector<std::string>> read_string_list(json::ObjectReader& r, const char* key, size_t max_items) {
  std::vector<std::string> out;
  const json::Value* v = r.optional(key);
  if (!v) return out;
  std::string p = r.path_of(key);
  if (!v->is_array()) return json::wrong_type(p, "an array of strings", *v);
  if (v->as_array().size() > max_items) return make_error("too_large", p + " has too many items", p);
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    FLK_ASSIGN(std::string s, json::read_string(v->as_array()[i], json::index_path(p, i), 512));
    out.push_back(std::move(s));
  }
  return out;
}

Result<cost::Nanos> read_usd(const json::Value& v, const std::string& path) {
  return json::read_scaled_decimal(v, path, cost::kUsdScale);
}

Result<std::optional<int32_t>> read_opt_day(json::ObjectReader& r, const char* key) {
  const json::Value* v = r.optional(key);
  if (!v) return std::optional<int32_t>();
  FLK_ASSIGN(int64_t ms, cost::read_timestamp(*v, r.path_of(key)));
  return std::optional<int32_t>(static_cast<int32_t>(floor_div(ms, kMsPerDay)));
}

Result<cost::Labels> read_labels(const json::Value& v, const std::string& path) {
  if (!v.is_object()) return json::wrong_type(path, "an object of string labels", v);
  if (v.as_object().size() > 64) return make_error("too_large", path + " has more than 64 labels", path);
  cost::Labels out;
  for (const auto& m : v.as_object()) {
    FLK_ASSIGN(std::string s, json::read_string(m.second, json::join_path(path, m.first), 512));
    out.emplace_back(m.first, std::move(s));
  }
  return out;
}

Result<cost::Filter> read_ledger_filter(json::ObjectReader& r) {
  cost::Filter f;
  FLK_ASSIGN(f.tenant, r.opt_string("tenant", 512));
  FLK_ASSIGN(f.provider, r.opt_string("provider", 512));
  FLK_ASSIGN(f.model, r.opt_string("model", 512));
  FLK_ASSIGN(f.task, r.opt_string("task", 512));
  if (f.provider) f.provider = cost::canonical_provider(*f.provider);
  if (const json::Value* l = r.optional("labels")) {
    FLK_ASSIGN(f.labels, read_labels(*l, r.path_of("labels")));
  }
  FLK_ASSIGN(auto from, read_opt_day(r, "from"));
  FLK_ASSIGN(auto to, read_opt_day(r, "to"));
  if (from) f.from_day = *from;
  if (to) f.to_day = *to;
  if (from && to && *to <= *from) return make_error("out_of_range", "$.to must be after $.from", "$.to");
  return f;
}

json::Value totals_json(const cost::Totals& t) {
  json::Value costs = json::Value::object(), qty = json::Value::object();
  for (int i = 0; i < cost::kLedgerDims; ++i)
    if (t.cost[i]) costs.set(cost::ledger_dim_name(i), cost::usd(t.cost[i]));
  for (int i = 0; i < cost::kDimCount; ++i)
    if (t.quantity[i]) qty.set(cost::dim_name(static_cast<cost::Dim>(i)), t.quantity[i]);
  json::Value o = json::Value::object();
  o.set("total_usd", cost::usd(t.total()))
      .set("cost_usd", std::move(costs))
      .set("quantities", std::move(qty))
      .set("events", t.events)
      .set("trusted", t.trusted);
  // Cost per trusted task: everything spent (failed requests included) per request that passed.
  if (t.trusted > 0) {
    o.set("cost_per_trusted_task_usd", cost::usd(cost::divide(t.total(), t.trusted)));
  } else {
    o.set("cost_per_trusted_task_usd", nullptr);
  }
  return o;
}

namespace {

json::Value catalog_summary(const Catalog& c) {
  json::Value o = json::Value::object();
  o.set("version", c.version).set("models", static_cast<int64_t>(c.models.size()));
  o.set("digest_sha256", crypto::sha256_hex(json::to_string(cost::catalog_to_json(c))));
  json::Value srcs = json::Value::array();
  for (const cost::Source& s : c.sources) srcs.push(source_json(c, s.id));
  o.set("sources", std::move(srcs));
  return o;
}

Result<json::Value> op_catalog_get(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto summary, r.opt_boolean("summary_only"));
  FLK_TRY(r.finish());
  const Catalog& c = engine.cost().catalog();
  json::Value o = catalog_summary(c);
  if (!summary.value_or(false)) o.set("catalog", cost::catalog_to_json(c));
  return o;
}

Result<json::Value> op_catalog_load(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* cv, r.required("catalog"));
  FLK_TRY(r.finish());
  FLK_ASSIGN(Catalog c, cost::catalog_from_json(*cv, "$.catalog"));
  json::Value o = catalog_summary(c);
  engine.cost().set_catalog(std::move(c));
  return o;
}

Result<json::Value> op_catalog_reset(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  engine.cost().reset_catalog();
  return catalog_summary(engine.cost().catalog());
}

Result<json::Value> op_import_litellm(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* doc, r.required("litellm"));
  cost::LitellmOptions opt;
  FLK_ASSIGN(auto version, r.opt_string("version", 512));
  if (version) opt.version = *version;
  if (const json::Value* s = r.optional("source")) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*s, r.path_of("source")));
    FLK_ASSIGN(auto id, sr.opt_string("id", 512));
    FLK_ASSIGN(auto name, sr.opt_string("name", 512));
    FLK_ASSIGN(auto url, sr.opt_string("url", 2048));
    FLK_ASSIGN(auto as_of, sr.opt_string("as_of", 64));
    FLK_ASSIGN(auto ref, sr.opt_string("reference", 2048));
    FLK_TRY(sr.finish());
    opt.source = {id.value_or(""), name.value_or(""), url.value_or(""), as_of.value_or(""), ref.value_or("")};
  }
  if (const json::Value* f = r.optional("effective_from")) {
    FLK_ASSIGN(int64_t ms, cost::read_timestamp(*f, r.path_of("effective_from")));
    opt.effective_from = static_cast<int32_t>(floor_div(ms, kMsPerDay));
  }
  FLK_ASSIGN(opt.modes, read_string_list(r, "modes", 64));
  FLK_ASSIGN(opt.keys, read_string_list(r, "keys", 100000));
  FLK_ASSIGN(auto load, r.opt_boolean("load"));
  FLK_ASSIGN(auto ret, r.opt_boolean("return_catalog"));
  FLK_TRY(r.finish());
  cost::LitellmReport rep;
  FLK_ASSIGN(Catalog c, cost::import_litellm(*doc, opt, &rep));
  json::Value report = json::Value::object();
  report.set("entries", static_cast<int64_t>(rep.entries))
      .set("imported", static_cast<int64_t>(rep.imported))
      .set("zero_priced", static_cast<int64_t>(rep.zero_priced));
  json::Value sm = json::Value::array();
  for (const auto& s : rep.skipped_models) {
    json::Value x = json::Value::object();
    x.set("key", s.first).set("reason", s.second);
    sm.push(std::move(x));
  }
  json::Value sf = json::Value::object(), ig = json::Value::object(), cf = json::Value::array();
  for (const auto& kv : rep.skipped_price_fields) sf.set(kv.first, static_cast<int64_t>(kv.second));
  for (const auto& kv : rep.ignored_fields) ig.set(kv.first, static_cast<int64_t>(kv.second));
  for (const std::string& s : rep.conflicts) cf.push(s);
  report.set("skipped_models", std::move(sm))
      .set("skipped_price_fields", std::move(sf))
      .set("ignored_fields", std::move(ig))
      .set("conflicts", std::move(cf));
  json::Value o = catalog_summary(c);
  o.set("report", std::move(report));
  if (ret.value_or(true)) o.set("catalog", cost::catalog_to_json(c));
  if (load.value_or(false)) engine.cost().set_catalog(std::move(c));
  return o;
}

Result<json::Value> op_price(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string model, r.string("model", 512));
  FLK_ASSIGN(auto provider, r.opt_string("provider", 512));
  std::optional<int32_t> day;
  if (const json::Value* at = r.optional("at")) {
    FLK_ASSIGN(int64_t ms, cost::read_timestamp(*at, r.path_of("at")));
    day = static_cast<int32_t>(floor_div(ms, kMsPerDay));
  }
  FLK_ASSIGN(auto fb, read_fallback(r));
  std::optional<Catalog> holder;
  FLK_ASSIGN(const Catalog* c, call_catalog(engine, r, &holder));
  FLK_TRY(r.finish());
  FLK_ASSIGN(cost::Resolved res, cost::resolve(*c, cost::canonical_provider(provider.value_or("")), model, day, fb));
  json::Value o = cost::entry_to_json(*res.entry);
  o.set("matched_by", cost::match_kind_name(res.matched_by)).set("catalog_version", c->version);
  json::Value sources = json::Value::array();
  std::vector<std::string> ids = {res.entry->source};
  for (const std::string& s : res.entry->standard.base.source)
    if (!s.empty() && std::find(ids.begin(), ids.end(), s) == ids.end()) ids.push_back(s);
  for (const std::string& id : ids) sources.push(source_json(*c, id));
  o.set("sources", std::move(sources));
  return o;
}

Result<json::Value> op_usage(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(cost::UsageInput u, cost::read_usage_fields(r));
  FLK_ASSIGN(cost::Attribution a, cost::read_attribution(r));
  FLK_ASSIGN(auto fb, read_fallback(r));
  std::optional<Catalog> holder;
  FLK_ASSIGN(const Catalog* c, call_catalog(engine, r, &holder));
  FLK_TRY(r.finish());
  FLK_ASSIGN(PricedUsage p, price_usage(*c, std::move(u), fb));
  json::Value o = priced_usage_json(*c, p);
  if (!a.empty()) o.set("attribution", cost::attribution_json(a));
  return o;
}

constexpr const char* kUsageInputTs =
    "{ provider?: string; api?: 'openai.chat' | 'openai.responses' | 'anthropic.messages' | 'gemini' | "
    "'bedrock.converse' | 'deepseek.chat' | 'xai.chat' | 'otel'; model?: string; usage?: Record<string, unknown>; "
    "response?: Record<string, unknown>; attributes?: Record<string, unknown> | { key: string; value: Record<string, "
    "unknown> }[]; service_tier?: string; timestamp?: string | number; requests?: number; input_images?: number; "
    "output_images?: number; web_searches?: number; cache_in_input?: boolean; task?: string; user?: string; labels?: "
    "Record<string, string>; verification_id?: string; fallback?: { provider?: string; model: string }; catalog?: "
    "Record<string, unknown> }";

}  // namespace

void add_cost_catalog_ops(std::vector<OpSpec>& t) {
  t.push_back({"cost.catalog.get", "The active price catalog (the shipped default until one is loaded) with its digest.",
               "{ summary_only?: boolean }",
               "{ version: string; models: number; digest_sha256: string; sources: Record<string, string>[]; catalog?: "
               "Record<string, unknown> }",
               op_catalog_get});
  t.push_back({"cost.catalog.load", "Validates a flk.price_catalog.v1 catalog and makes it the engine's active catalog.",
               "{ catalog: Record<string, unknown> }",
               "{ version: string; models: number; digest_sha256: string; sources: Record<string, string>[] }",
               op_catalog_load});
  t.push_back({"cost.catalog.reset", "Makes the shipped default catalog active again.", "{}",
               "{ version: string; models: number; digest_sha256: string; sources: Record<string, string>[] }",
               op_catalog_reset});
  t.push_back({"cost.catalog.import_litellm",
               "Converts LiteLLM's model_prices_and_context_window.json into a catalog, reporting every skipped field "
               "and model.",
               "{ litellm: Record<string, unknown>; version?: string; source?: { id?: string; name?: string; url?: "
               "string; as_of?: string; reference?: string }; effective_from?: string; modes?: string[]; keys?: "
               "string[]; load?: boolean; return_catalog?: boolean }",
               "{ version: string; models: number; digest_sha256: string; sources: Record<string, string>[]; report: { "
               "entries: number; imported: number; zero_priced: number; skipped_models: { key: string; reason: string "
               "}[]; skipped_price_fields: Record<string, number>; ignored_fields: Record<string, number>; conflicts: "
               "string[] }; catalog?: Record<string, unknown> }",
               op_import_litellm});
  t.push_back({"cost.price",
               "The catalog entry pricing a model (on a date): prices, tiers, validity and sources.",
               "{ model: string; provider?: string; at?: string | number; fallback?: { provider?: string; model: "
               "string }; catalog?: Record<string, unknown> }",
               "{ provider: string; model: string; matched_by: 'exact' | 'alias' | 'date_suffix' | 'fallback'; "
               "catalog_version: string; prices: Record<string, string>; source: string; sources: Record<string, "
               "string>[]; aliases?: string[]; effective_from?: string; effective_to?: string; context_tiers?: { "
               "above_input_tokens: number; prices: Record<string, string> }[]; service_tiers?: Record<string, { "
               "prices: Record<string, string> }>; price_sources?: Record<string, string> }",
               op_price});
  t.push_back({"cost.usage",
               "Prices one usage event (provider usage object, response body or OpenTelemetry GenAI attributes) "
               "with each provider's explicit cached-token rule; exact decimal USD by usage type, with its attribution "
               "(task, user, labels, verification id) checked and echoed.",
               kUsageInputTs,
               "{ api: string; rule: string; provider: string; model: string; priced_as: { provider: string; model: "
               "string; matched_by: string; source: string; effective_from?: string; effective_to?: string }; "
               "catalog_version: string; service_tier: string; quantities: Record<string, number>; unit_prices: "
               "Record<string, string>; cost_usd: Record<string, string>; total_usd: string; notes: string[]; "
               "ignored_fields: string[]; context_tier_above?: number; attribution?: { task?: string; user?: string; labels?: "
               "Record<string, string>; verification_id?: string } }",
               op_usage});
}

void add_cost_ops(std::vector<OpSpec>& t) {
  add_cost_catalog_ops(t);
  add_cost_ledger_ops(t);
  add_cost_billing_ops(t);
  add_cost_plan_ops(t);
}

}  // namespace flk
