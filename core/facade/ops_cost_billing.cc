// Cost ops, part 3: billing import (one call, or streamed as begin / chunk / end) and
// reconciliation of the ledger against the imported charges.
#include <map>

#include "cost/provider_names.h"
#include "cost/reconcile.h"
#include "cost/state.h"
#include "facade/engine.h"
#include "facade/ops_cost.h"
#include "util/civil_time.h"

namespace flk {
namespace {

using cost::Nanos;

constexpr size_t kMaxChunk = 48u << 20;

Result<cost::BillingOptions> read_billing_options(json::ObjectReader& r) {
  cost::BillingOptions o;
  FLK_ASSIGN(auto format, r.opt_string("format", 16));
  if (format) {
    if (*format == "auto") o.format = cost::BillingFormat::automatic;
    else if (*format == "focus") o.format = cost::BillingFormat::focus;
    else if (*format == "cur") o.format = cost::BillingFormat::cur;
    else if (*format == "azure") o.format = cost::BillingFormat::azure;
    else if (*format == "gcp") o.format = cost::BillingFormat::gcp;
    else return make_error("out_of_range", "$.format must be auto, focus, cur, azure or gcp", "$.format");
  }
  FLK_ASSIGN(auto strict, r.opt_boolean("strict"));
  FLK_ASSIGN(auto max_issues, r.opt_integer("max_issues", 0, 10000));
  o.strict = strict.value_or(false);
  o.max_issues = static_cast<size_t>(max_issues.value_or(100));
  if (r.optional("tenant_tags")) {
    FLK_ASSIGN(o.tenant_tags, read_string_list(r, "tenant_tags", 32));
  }
  if (r.optional("model_tags")) {
    FLK_ASSIGN(o.model_tags, read_string_list(r, "model_tags", 32));
  }
  return o;
}

// Book totals grouped by any of provider, service, tenant, model, charge_category, currency,
// month, day (filtered by exact values), in key order.
struct BookQuery {
  std::vector<std::string> group_by = {"provider", "currency", "month"};
  std::vector<std::pair<std::string, std::string>> where;
};

const char* const kBookKeys[] = {"provider", "service", "tenant", "model", "charge_category", "currency", "month", "day"};

std::string book_key(const cost::BillingKey& k, const std::string& name) {
  if (name == "provider") return k.provider;
  if (name == "service") return k.service;
  if (name == "tenant") return k.tenant;
  if (name == "model") return k.model;
  if (name == "charge_category") return k.charge_category;
  if (name == "currency") return k.currency;
  if (name == "month") return format_month(k.day);
  return format_date(k.day);
}

json::Value book_totals_json(const cost::BillingBook& b, const BookQuery& q = {}) {
  std::map<std::vector<std::string>, cost::BillingTotals> by;
  for (const auto& kv : b.cells) {
    bool keep = true;
    for (const auto& w : q.where) keep = keep && book_key(kv.first, w.first) == w.second;
    if (!keep) continue;
    std::vector<std::string> key;
    for (const std::string& g : q.group_by) key.push_back(book_key(kv.first, g));
    by[key].add(kv.second);
  }
  json::Value rows = json::Value::array();
  for (const auto& kv : by) {
    json::Value x = json::Value::object();
    for (size_t i = 0; i < q.group_by.size(); ++i) x.set(q.group_by[i], kv.first[i]);
    x.set("billed", cost::usd(kv.second.billed))
        .set("effective", cost::usd(kv.second.effective))
        .set("list", cost::usd(kv.second.list))
        .set("rows", kv.second.rows);
    rows.push(std::move(x));
  }
  return rows;
}

json::Value summary_json(const cost::ImportSummary& s) {
  json::Value o = json::Value::object();
  o.set("format", cost::billing_format_name(s.format));
  if (!s.focus_version.empty()) o.set("focus_version", s.focus_version);
  o.set("rows", s.rows)
      .set("imported", s.imported)
      .set("skipped", s.skipped)
      .set("bytes", s.bytes)
      .set("rounded_values", s.rounded_values)
      .set("non_standard_numbers", s.non_standard_numbers)
      .set("issue_count", s.issue_count)
      .set("warning_count", s.warning_count);
  json::Value issues = json::Value::array(), notes = json::Value::array(), unknown = json::Value::array();
  for (const cost::ImportIssue& i : s.issues) {
    json::Value x = json::Value::object();
    x.set("line", i.line).set("message", i.message);
    if (!i.column.empty()) x.set("column", i.column);
    if (i.warning) x.set("warning", true);
    issues.push(std::move(x));
  }
  for (const std::string& n : s.notes) notes.push(n);
  for (const std::string& c : s.unknown_columns) unknown.push(c);
  o.set("issues", std::move(issues))
      .set("unknown_columns", std::move(unknown))
      .set("notes", std::move(notes))
      .set("totals", book_totals_json(s.book));
  return o;
}

Status merge(cost::State& st, const cost::ImportSummary& s) {
  for (const auto& kv : s.book.cells)
    if (!st.billing.add(kv.first, kv.second)) return make_error("out_of_range", "billing totals exceed the money range");
  return Ok{};
}

Result<std::string> read_text(json::ObjectReader& r, const char* key) {
  FLK_ASSIGN(std::string t, r.string(key, kMaxChunk));
  return t;
}

Result<json::Value> op_billing_import(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string text, read_text(r, "csv_text"));
  FLK_ASSIGN(cost::BillingOptions opt, read_billing_options(r));
  FLK_TRY(r.finish());
  cost::BillingImporter imp(opt);
  FLK_TRY(imp.feed(text));
  FLK_TRY(imp.finish());
  FLK_TRY(merge(engine.cost(), imp.summary()));
  return summary_json(imp.summary());
}

Result<json::Value> op_billing_begin(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(cost::BillingOptions opt, read_billing_options(r));
  FLK_TRY(r.finish());
  engine.cost().import = std::make_unique<cost::BillingImporter>(opt);
  json::Value o = json::Value::object();
  o.set("started", true);
  return o;
}

Result<json::Value> op_billing_chunk(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string text, read_text(r, "text"));
  FLK_TRY(r.finish());
  auto& imp = engine.cost().import;
  if (!imp) return make_error("out_of_range", "no billing import in progress: call cost.billing.begin first");
  auto st = imp->feed(text);
  if (!st.ok()) {
    imp.reset();  // a failed import is abandoned, not half-merged
    return st.error();
  }
  json::Value o = json::Value::object();
  o.set("rows", imp->summary().rows).set("imported", imp->summary().imported).set("issue_count", imp->summary().issue_count);
  return o;
}

Result<json::Value> op_billing_end(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  auto imp = std::move(engine.cost().import);
  if (!imp) return make_error("out_of_range", "no billing import in progress: call cost.billing.begin first");
  FLK_TRY(imp->finish());
  FLK_TRY(merge(engine.cost(), imp->summary()));
  return summary_json(imp->summary());
}

Result<json::Value> op_billing_reset(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_TRY(r.finish());
  engine.cost().billing = cost::BillingBook();
  engine.cost().import.reset();
  json::Value o = json::Value::object();
  o.set("cells", int64_t{0});
  return o;
}

Result<json::Value> op_billing_summary(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  BookQuery q;
  auto known = [](const std::string& k) {
    for (const char* n : kBookKeys)
      if (k == n) return true;
    return false;
  };
  if (r.optional("group_by")) {
    FLK_ASSIGN(q.group_by, read_string_list(r, "group_by", 8));
    for (size_t i = 0; i < q.group_by.size(); ++i)
      if (!known(q.group_by[i]))
        return make_error("out_of_range", "$.group_by[" + std::to_string(i) + "] must be one of provider, service, tenant, "
                                          "model, charge_category, currency, month, day",
                          "$.group_by[" + std::to_string(i) + "]");
  }
  if (const json::Value* w = r.optional("where")) {
    FLK_ASSIGN(q.where, read_labels(*w, "$.where"));
    for (const auto& kv : q.where)
      if (!known(kv.first)) return make_error("unknown_field", "$.where." + kv.first + " is not a billing key", "$.where." + kv.first);
  }
  FLK_TRY(r.finish());
  const cost::BillingBook& b = engine.cost().billing;
  json::Value o = json::Value::object();
  o.set("cells", static_cast<int64_t>(b.cells.size())).set("totals", book_totals_json(b, q));
  return o;
}

json::Value items_json(const std::vector<cost::DeltaItem>& items, const char* key) {
  json::Value a = json::Value::array();
  for (const cost::DeltaItem& d : items) {
    json::Value x = json::Value::object();
    x.set(key, d.key)
        .set("tracked_usd", cost::usd(d.tracked))
        .set("billed_usd", cost::usd(d.billed))
        .set("delta_usd", cost::usd(d.delta()));
    a.push(std::move(x));
  }
  return a;
}

Result<json::Value> op_reconcile(Engine& engine, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  cost::ReconcileOptions opt;
  FLK_ASSIGN(auto period, r.opt_string("period", 16));
  FLK_ASSIGN(auto from, read_opt_day(r, "from"));
  FLK_ASSIGN(auto to, read_opt_day(r, "to"));
  if (period) {
    if (from || to) return make_error("conflicting_fields", "give period or from/to, not both", "$.period");
    auto ms = parse_timestamp_ms(*period + "-01");
    if (period->size() != 7 || !ms.ok()) return make_error("bad_timestamp", "$.period must be YYYY-MM", "$.period");
    int32_t d = static_cast<int32_t>(floor_div(*ms, kMsPerDay));
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    opt.from_day = d;
    opt.to_day = d + days_in_month(y, m);
  }
  if (from) opt.from_day = *from;
  if (to) opt.to_day = *to;
  FLK_ASSIGN(auto column, read_cost_column(r));
  opt.column = column.value_or(cost::CostColumn::billed);
  FLK_ASSIGN(auto threshold, r.opt_number("threshold_pct", {0, 100}));
  opt.threshold_pct = threshold.value_or(3.0);
  if (r.optional("charge_categories")) {
    FLK_ASSIGN(opt.charge_categories, read_string_list(r, "charge_categories", 16));
  }
  FLK_ASSIGN(auto currency, r.opt_string("currency", 8));
  if (currency) opt.currency = *currency;
  if (const json::Value* sm = r.optional("service_map")) {
    FLK_ASSIGN(cost::Labels pairs, read_labels(*sm, r.path_of("service_map")));
    for (const auto& kv : pairs) opt.service_map[cost::canonical_provider(kv.first)] = kv.second;
  }
  FLK_TRY(r.finish());
  auto reconciled = cost::reconcile(engine.cost().ledger, engine.cost().billing, opt);
  if (!reconciled.ok()) {
    // A shorter period is what brings the sums back into range.
    const std::string at = period || !from ? "$.period" : "$.from";
    return make_error(reconciled.error().code, at + ": " + reconciled.error().message, at);
  }
  const cost::ReconcileReport& rep = *reconciled;
  json::Value services = json::Value::array();
  for (const cost::ServiceLine& s : rep.services) {
    json::Value x = json::Value::object();
    x.set("service", s.service)
        .set("tracked_usd", cost::usd(s.tracked))
        .set("billed_usd", cost::usd(s.billed))
        .set("delta_usd", cost::usd(s.billed - s.tracked))
        .set("delta_pct", s.delta_pct)
        .set("alert", s.alert)
        .set("status", s.status)
        .set("days", items_json(s.days, "day"))
        .set("models", items_json(s.models, "model"));
    services.push(std::move(x));
  }
  json::Value unalloc = json::Value::array();
  for (const auto& kv : rep.unallocated_services) {
    json::Value x = json::Value::object();
    x.set("service", kv.first).set("billed_usd", cost::usd(kv.second));
    unalloc.push(std::move(x));
  }
  json::Value other = json::Value::object(), cur = json::Value::object(), recs = json::Value::array();
  for (const auto& kv : rep.other_charges) other.set(kv.first, cost::usd(kv.second));
  for (const auto& kv : rep.other_currencies) cur.set(kv.first, cost::usd(kv.second));
  for (const std::string& s : rep.recommendations) recs.push(s);
  json::Value o = json::Value::object();
  json::Value per = json::Value::object();
  if (opt.from_day != INT32_MIN) per.set("from", format_date(opt.from_day));
  if (opt.to_day != INT32_MAX) per.set("to", format_date(opt.to_day));
  o.set("period", std::move(per))
      .set("cost_column", cost::column_name(opt.column))
      .set("threshold_pct", opt.threshold_pct)
      .set("tracked_usd", cost::usd(rep.tracked))
      .set("billed_usd", cost::usd(rep.billed))
      .set("delta_usd", cost::usd(rep.billed - rep.tracked))
      .set("delta_pct", rep.delta_pct)
      .set("alert", rep.alert)
      .set("status", rep.status)
      .set("services", std::move(services))
      .set("unallocated", json::Value::object()
                              .set("billed_usd", cost::usd(rep.unallocated))
                              .set("services", std::move(unalloc)))
      .set("other_charges", std::move(other))
      .set("other_currencies", std::move(cur))
      .set("recommendations", std::move(recs));
  return o;
}

constexpr const char* kImportOptionsTs =
    "format?: 'auto' | 'focus' | 'cur' | 'azure' | 'gcp'; strict?: boolean; max_issues?: number; tenant_tags?: string[]; model_tags?: "
    "string[]";
constexpr const char* kSummaryTs =
    "{ format: 'focus' | 'cur' | 'azure' | 'gcp'; focus_version?: string; rows: number; imported: number; skipped: "
    "number; bytes: number; rounded_values: number; non_standard_numbers: number; issue_count: number; "
    "warning_count: number; issues: { line: number; column?: string; message: string; warning?: true }[]; "
    "unknown_columns: string[]; notes: string[]; totals: { provider: string; currency: string; month: "
    "string; billed: string; effective: string; list: string; rows: number }[] }";

}  // namespace

void add_cost_billing_ops(std::vector<OpSpec>& t) {
  static const std::string import_in = std::string("{ csv_text: string; ") + kImportOptionsTs + " }";
  static const std::string begin_in = std::string("{ ") + kImportOptionsTs + " }";
  t.push_back({"cost.billing.import",
               "Imports a FOCUS 1.0–1.3, AWS CUR (2.0 or legacy), Azure EA / MCA cost-details or GCP BigQuery billing "
               "CSV export into the engine's billing book; bad rows are reported with their line.",
               import_in.c_str(), kSummaryTs, op_billing_import});
  t.push_back({"cost.billing.begin", "Starts a streamed billing import (then cost.billing.chunk …, cost.billing.end).",
               begin_in.c_str(), "{ started: boolean }", op_billing_begin});
  t.push_back({"cost.billing.chunk", "Feeds the next piece of the CSV text of a streamed import (any split point).",
               "{ text: string }", "{ rows: number; imported: number; issue_count: number }", op_billing_chunk});
  t.push_back({"cost.billing.end", "Finishes a streamed import and merges it into the billing book.", "{}", kSummaryTs,
               op_billing_end});
  t.push_back({"cost.billing.reset", "Empties the engine's billing book.", "{}", "{ cells: number }", op_billing_reset});
  t.push_back({"cost.billing.summary",
               "Imported charges grouped by provider, service, tenant, model, charge_category, currency, month or day "
               "(default provider, currency, month), optionally filtered.",
               "{ group_by?: string[]; where?: Record<string, string> }",
               "{ cells: number; totals: ({ billed: string; effective: string; list: string; rows: number } & "
               "Record<string, string | number>)[] }",
               op_billing_summary});
  t.push_back({"cost.reconcile",
               "Tracked (ledger) vs billed (imported) spend per service for a period: delta %, status, days and "
               "models that carry a drift, the unallocated bucket, an alert over the threshold (default 3 %).",
               "{ period?: string; from?: string; to?: string; cost_column?: 'billed' | 'effective' | 'list'; "
               "threshold_pct?: number; charge_categories?: string[]; currency?: string; service_map?: "
               "Record<string, string> }",
               "{ period: { from?: string; to?: string }; cost_column: string; threshold_pct: number; tracked_usd: "
               "string; billed_usd: string; delta_usd: string; delta_pct: number; alert: boolean; status: "
               "'within_target' | 'drift_detected' | 'critical_drift'; services: { service: string; tracked_usd: "
               "string; billed_usd: string; delta_usd: string; delta_pct: number; alert: boolean; status: string; "
               "days: { day: string; tracked_usd: string; billed_usd: string; delta_usd: string }[]; models: { model: "
               "string; tracked_usd: string; billed_usd: string; delta_usd: string }[] }[]; unallocated: { "
               "billed_usd: string; services: { service: string; billed_usd: string }[] }; other_charges: "
               "Record<string, string>; other_currencies: Record<string, string>; recommendations: string[] }",
               op_reconcile});
}

}  // namespace flk
