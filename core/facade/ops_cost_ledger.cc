// Cost ops, part 2: the ledger (record, query, reset) and resource spans.
#include "cost/catalog_json.h"
#include "cost/provider_names.h"
#include "cost/state.h"
#include "facade/engine.h"
#include "facade/ops_cost.h"
#include "util/civil_time.h"

namespace flk {
namespace {

using cost::Catalog;
using cost::Nanos;

constexpr size_t kMaxEvents = 1u << 20;
constexpr size_t kMaxSpans = 10000;
constexpr int64_t kMaxQty = int64_t{1} << 50;

Result<cost::ResourceUsage> read_resource_usage(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  cost::ResourceUsage u;
  FLK_ASSIGN(auto c, r.opt_integer("compute_ms", 0, kMaxQty));
  FLK_ASSIGN(auto n, r.opt_integer("network_bytes", 0, kMaxQty));
  FLK_ASSIGN(auto sm, r.opt_integer("storage_ms", 0, kMaxQty));
  u.compute_ms = c.value_or(0);
  u.network_bytes = n.value_or(0);
  u.storage_ms = sm.value_or(0);
  if (const json::Value* s = r.optional("storage_bytes")) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*s, r.path_of("storage_bytes")));
    for (int t = 0; t < cost::kStorageTiers; ++t) {
      FLK_ASSIGN(auto b, sr.opt_integer(cost::storage_tier_name(t), 0, kMaxQty));
      u.storage_bytes[t] = b.value_or(0);
    }
    FLK_TRY(sr.finish());
  }
  if (const json::Value* a = r.optional("anchoring")) {
    FLK_ASSIGN(auto ar, json::ObjectReader::open(*a, r.path_of("anchoring")));
    for (int t = 0; t < cost::kAnchors; ++t) {
      FLK_ASSIGN(auto k, ar.opt_integer(cost::anchor_name(t), 0, kMaxQty));
      u.anchoring_ops[t] = k.value_or(0);
    }
    FLK_TRY(ar.finish());
  }
  FLK_TRY(r.finish());
  return u;
}

json::Value resource_cost_json(const cost::ResourceCost& c) {
  json::Value o = json::Value::object();
  o.set("compute_usd", cost::usd(c.compute))
      .set("storage_usd", cost::usd(c.storage))
      .set("network_usd", cost::usd(c.network))
      .set("anchoring_usd", cost::usd(c.anchoring))
      .set("total_usd", cost::usd(c.total()));
  return o;
}

bool has_usage_fields(const json::Value& ev) {
  return ev.find("usage") || ev.find("response") || ev.find("attributes");
}

// One ledger event: identity, then LLM usage and/or resource usage, priced.
Result<cost::LedgerEvent> read_event(const json::Value& v, const std::string& path, const Catalog& c,
                                     const std::optional<cost::Fallback>& fb, const cost::ResourcePrices& rp) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  cost::LedgerEvent e;
  FLK_ASSIGN(e.event_id, r.string("event_id", 512));
  FLK_ASSIGN(e.tenant, r.string("tenant", 512));
  FLK_ASSIGN(auto task, r.opt_string("task", 512));
  e.task = task.value_or("");
  FLK_ASSIGN(auto verified, r.opt_boolean("verified"));
  e.verified = verified.value_or(false);
  if (const json::Value* l = r.optional("labels")) {
    FLK_ASSIGN(e.labels, read_labels(*l, r.path_of("labels")));
  }
  const json::Value* res = r.optional("resource");
  if (has_usage_fields(v)) {
    FLK_ASSIGN(cost::UsageInput u, cost::read_usage_fields(r));
    if (!u.timestamp_ms)
      return make_error("missing_field", r.path_of("timestamp") + " is required for ledger events", r.path_of("timestamp"));
    e.timestamp_ms = *u.timestamp_ms;
    FLK_ASSIGN(PricedUsage p, price_usage(c, std::move(u), fb));
    e.provider = p.resolved.entry->provider;
    // Aliases and dated names group under the catalog's name; a model priced by the fallback
    // keeps its own name so it stays visible in reports.
    e.model = p.resolved.matched_by == cost::MatchKind::fallback ? p.in.model : p.resolved.entry->model;
    for (const cost::CostLine& l : p.priced.lines) {
      e.cost[static_cast<int>(l.dim)] += l.cost;
      e.quantity[static_cast<int>(l.dim)] += l.quantity;
    }
  } else {
    if (!res)
      return make_error("missing_field", path + " needs usage, response, attributes (LLM usage) or resource", path);
    FLK_ASSIGN(const json::Value* ts, r.required("timestamp"));
    FLK_ASSIGN(e.timestamp_ms, cost::read_timestamp(*ts, r.path_of("timestamp")));
    FLK_ASSIGN(auto prov, r.opt_string("provider", 512));
    FLK_ASSIGN(auto model, r.opt_string("model", 512));
    e.provider = prov ? cost::canonical_provider(*prov) : "internal";
    e.model = model.value_or("");
  }
  if (res) {
    FLK_ASSIGN(cost::ResourceUsage ru, read_resource_usage(*res, r.path_of("resource")));
    FLK_ASSIGN(cost::ResourceCost rc, cost::resource_cost(ru, rp));
    cost::add_resource_cost(e, rc);
  }
  FLK_TRY(r.finish());
  return e;
}

Result<json::Value> op_ledger_record(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* evs, r.required("events"));
  FLK_ASSIGN(auto fb, read_fallback(r));
  FLK_ASSIGN(cost::ResourcePrices rp, read_resource_prices(r));
  std::optional<Catalog> holder;
  FLK_ASSIGN(const Catalog* c, call_catalog(engine, r, &holder));
  FLK_ASSIGN(auto details, r.opt_boolean("details"));
  FLK_TRY(r.finish());
  if (!evs->is_array()) return json::wrong_type("$.events", "an array", *evs);
  if (evs->as_array().size() > kMaxEvents) return make_error("too_large", "$.events has too many events", "$.events");
  // Price everything first: a bad event leaves the ledger untouched.
  std::vector<cost::LedgerEvent> events;
  events.reserve(evs->as_array().size());
  for (size_t i = 0; i < evs->as_array().size(); ++i) {
    FLK_ASSIGN(cost::LedgerEvent e, read_event(evs->as_array()[i], json::index_path("$.events", i), *c, fb, rp));
    events.push_back(std::move(e));
  }
  cost::Ledger& ledger = engine.cost().ledger;
  int64_t counts[3] = {0, 0, 0};
  json::Value results = json::Value::array();
  Nanos charged = 0;
  std::vector<cost::Recorded> recorded;
  recorded.reserve(events.size());
  FLK_TRY(ledger.record_batch(events, &recorded));
  for (size_t i = 0; i < events.size(); ++i) {
    const cost::LedgerEvent& e = events[i];
    const cost::Recorded rec = recorded[i];
    ++counts[static_cast<int>(rec)];
    Nanos t = 0;
    for (Nanos x : e.cost) t += x;
    if (rec == cost::Recorded::recorded) charged += t;
    if (details.value_or(true)) {
      json::Value x = json::Value::object();
      x.set("event_id", e.event_id).set("status", cost::recorded_name(rec)).set("total_usd", cost::usd(t));
      if (!e.model.empty()) x.set("model", e.model);
      results.push(std::move(x));
    }
  }
  json::Value o = json::Value::object();
  o.set("recorded", counts[0]).set("duplicates", counts[1]).set("conflicts", counts[2]);
  o.set("charged_usd", cost::usd(charged)).set("ledger_events", static_cast<int64_t>(ledger.events()));
  if (details.value_or(true)) o.set("results", std::move(results));
  return o;
}

Result<json::Value> op_ledger_query(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(auto names, read_string_list(r, "group_by", 8));
  FLK_ASSIGN(cost::Filter f, read_ledger_filter(r));
  FLK_TRY(r.finish());
  std::vector<cost::GroupKey> keys;
  for (size_t i = 0; i < names.size(); ++i) {
    auto k = cost::group_key_from_name(names[i]);
    if (!k)
      return make_error("out_of_range",
                        "$.group_by[" + std::to_string(i) + "] must be tenant, provider, model, task, day, month or label:<key>",
                        "$.group_by[" + std::to_string(i) + "]");
    keys.push_back(*k);
  }
  const cost::Ledger& ledger = engine.cost().ledger;
  json::Value rows = json::Value::array();
  for (const cost::Row& row : ledger.query(keys, f)) {
    json::Value key = json::Value::object();
    for (size_t i = 0; i < names.size(); ++i) key.set(names[i], row.key[i]);
    json::Value x = totals_json(row.totals);
    x.set("key", std::move(key));
    rows.push(std::move(x));
  }
  json::Value o = json::Value::object();
  o.set("rows", std::move(rows)).set("totals", totals_json(ledger.total(f)));
  return o;
}

Result<json::Value> op_ledger_reset(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  engine.cost().ledger.clear();
  json::Value o = json::Value::object();
  o.set("ledger_events", int64_t{0});
  return o;
}

Result<json::Value> op_spans(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* sv, r.required("spans"));
  FLK_ASSIGN(cost::ResourcePrices rp, read_resource_prices(r));
  FLK_TRY(r.finish());
  if (!sv->is_array()) return json::wrong_type("$.spans", "an array", *sv);
  if (sv->as_array().size() > kMaxSpans) return make_error("too_large", "$.spans has more than 10000 spans", "$.spans");
  std::vector<cost::Span> spans;
  for (size_t i = 0; i < sv->as_array().size(); ++i) {
    std::string p = json::index_path("$.spans", i);
    FLK_ASSIGN(auto sr, json::ObjectReader::open(sv->as_array()[i], p));
    cost::Span s;
    FLK_ASSIGN(s.span_id, sr.string("span_id", 512));
    FLK_ASSIGN(auto parent, sr.opt_string("parent_span_id", 512));
    FLK_ASSIGN(auto tenant, sr.opt_string("tenant", 512));
    FLK_ASSIGN(auto model, sr.opt_string("model", 512));
    FLK_ASSIGN(auto task, sr.opt_string("task_type", 512));
    FLK_ASSIGN(const json::Value* st, sr.required("start"));
    FLK_ASSIGN(const json::Value* en, sr.required("end"));
    FLK_ASSIGN(s.start_ms, cost::read_timestamp(*st, sr.path_of("start")));
    FLK_ASSIGN(s.end_ms, cost::read_timestamp(*en, sr.path_of("end")));
    s.parent_span_id = parent.value_or("");
    s.tenant = tenant.value_or("");
    s.model = model.value_or("");
    s.task_type = task.value_or("");
    json::Value usage = json::Value::object();
    for (const char* k : {"compute_ms", "storage_bytes", "storage_ms", "network_bytes", "anchoring"})
      if (const json::Value* x = sr.optional(k)) usage.set(k, *x);
    FLK_ASSIGN(s.usage, read_resource_usage(usage, p));
    FLK_TRY(sr.finish());
    spans.push_back(std::move(s));
  }
  auto costed = cost::cost_spans(spans, rp);
  if (!costed.ok()) return make_error(costed.error().code, costed.error().message, "$.spans" + costed.error().path);
  json::Value out = json::Value::array();
  Nanos roots = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    json::Value x = resource_cost_json((*costed)[i].self);
    x.set("span_id", spans[i].span_id)
        .set("depth", static_cast<int64_t>((*costed)[i].depth))
        .set("subtree_total_usd", cost::usd((*costed)[i].subtree));
    if (!spans[i].parent_span_id.empty()) x.set("parent_span_id", spans[i].parent_span_id);
    if (spans[i].parent_span_id.empty()) roots += (*costed)[i].subtree;
    out.push(std::move(x));
  }
  json::Value o = json::Value::object();
  o.set("spans", std::move(out)).set("total_usd", cost::usd(roots));
  return o;
}

}  // namespace

Result<cost::ResourcePrices> read_resource_prices(json::ObjectReader& r) {
  cost::ResourcePrices p;
  const json::Value* v = r.optional("resource_prices");
  if (!v) return p;
  FLK_ASSIGN(auto pr, json::ObjectReader::open(*v, r.path_of("resource_prices")));
  auto usd = [&](json::ObjectReader& rr, const char* key, Nanos* out) -> Status {
    const json::Value* x = rr.optional(key);
    if (!x) return Ok{};
    FLK_ASSIGN(Nanos m, read_usd(*x, rr.path_of(key)));
    if (m < 0) return make_error("out_of_range", rr.path_of(key) + " must not be negative", rr.path_of(key));
    *out = m;
    return Ok{};
  };
  FLK_TRY(usd(pr, "compute_per_100ms", &p.compute_per_100ms));
  FLK_TRY(usd(pr, "network_per_gb", &p.network_per_gb));
  if (const json::Value* s = pr.optional("storage_gb_month")) {
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*s, pr.path_of("storage_gb_month")));
    for (int t = 0; t < cost::kStorageTiers; ++t) FLK_TRY(usd(sr, cost::storage_tier_name(t), &p.storage_gb_month[t]));
    FLK_TRY(sr.finish());
  }
  if (const json::Value* a = pr.optional("anchoring")) {
    FLK_ASSIGN(auto ar, json::ObjectReader::open(*a, pr.path_of("anchoring")));
    for (int t = 0; t < cost::kAnchors; ++t) FLK_TRY(usd(ar, cost::anchor_name(t), &p.anchoring[t]));
    FLK_TRY(ar.finish());
  }
  FLK_TRY(pr.finish());
  return p;
}

void add_cost_ledger_ops(std::vector<OpSpec>& t) {
  t.push_back({"cost.ledger.record",
               "Prices and records usage/resource events in the engine's ledger; idempotent by event_id (a repeat "
               "is a duplicate, a changed repeat a conflict; neither is charged).",
               "{ events: ({ event_id: string; tenant: string; timestamp: string | number; task?: string; labels?: "
               "Record<string, string>; verified?: boolean; resource?: Record<string, unknown> } & Record<string, "
               "unknown>)[]; fallback?: { provider?: string; model: string }; catalog?: Record<string, unknown>; "
               "resource_prices?: Record<string, unknown>; details?: boolean }",
               "{ recorded: number; duplicates: number; conflicts: number; charged_usd: string; ledger_events: number; "
               "results?: { event_id: string; status: 'recorded' | 'duplicate' | 'conflict'; total_usd: string; "
               "model?: string }[] }",
               op_ledger_record});
  t.push_back({"cost.ledger.query",
               "Ledger totals grouped by tenant, provider, model, task, day, month or label:<key>, with cost per "
               "trusted task.",
               "{ group_by?: string[]; tenant?: string; provider?: string; model?: string; task?: string; labels?: "
               "Record<string, string>; from?: string; to?: string }",
               "{ rows: { key: Record<string, string>; total_usd: string; cost_usd: Record<string, string>; "
               "quantities: Record<string, number>; events: number; trusted: number; cost_per_trusted_task_usd: "
               "string | null }[]; totals: { total_usd: string; cost_usd: Record<string, string>; quantities: "
               "Record<string, number>; events: number; trusted: number; cost_per_trusted_task_usd: string | null } }",
               op_ledger_query});
  t.push_back({"cost.ledger.reset", "Empties the engine's ledger.", "{}", "{ ledger_events: number }", op_ledger_reset});
  t.push_back({"cost.spans",
               "Costs resource spans (compute, storage by tier, network, anchoring; reference prices by default) and "
               "rolls children up into parents.",
               "{ spans: { span_id: string; parent_span_id?: string; tenant?: string; model?: string; task_type?: "
               "string; start: string | number; end: string | number; compute_ms?: number; storage_bytes?: { hot?: "
               "number; warm?: number; cold?: number }; storage_ms?: number; network_bytes?: number; anchoring?: "
               "Record<string, number> }[]; resource_prices?: Record<string, unknown> }",
               "{ spans: { span_id: string; parent_span_id?: string; depth: number; compute_usd: string; storage_usd: "
               "string; network_usd: string; anchoring_usd: string; total_usd: string; subtree_total_usd: string }[]; "
               "total_usd: string }",
               op_spans});
}

}  // namespace flk
