// Shared pieces of the cost ops (ops_cost*.cc): each file adds its ops to the table, and they
// share how a call chooses its catalog and how a priced usage event is written.
#pragma once
#include <optional>
#include <vector>

#include "cost/catalog.h"
#include "cost/ledger.h"
#include "cost/pricing.h"
#include "cost/reconcile.h"
#include "cost/spans.h"
#include "cost/usage_read.h"
#include "facade/registry.h"
#include "json/fields.h"

namespace flk {

void add_cost_catalog_ops(std::vector<OpSpec>& t);  // ops_cost.cc
void add_cost_ledger_ops(std::vector<OpSpec>& t);   // ops_cost_ledger.cc
void add_cost_billing_ops(std::vector<OpSpec>& t);  // ops_cost_billing.cc
void add_cost_plan_ops(std::vector<OpSpec>& t);     // ops_cost_plan.cc: budgets, forecasts, advice

// The catalog a call prices with: its own "catalog" field if given (parsed into *holder),
// else the engine's.
Result<const cost::Catalog*> call_catalog(Engine& engine, json::ObjectReader& r, std::optional<cost::Catalog>* holder);
// The call's "fallback" field ({provider?, model}), if any.
Result<std::optional<cost::Fallback>> read_fallback(json::ObjectReader& r);

// A usage event priced against a catalog.
struct PricedUsage {
  cost::UsageInput in;
  cost::Resolved resolved;
  cost::Quantities quantities;
  cost::Priced priced;
};
Result<PricedUsage> price_usage(const cost::Catalog& c, cost::UsageInput in, const std::optional<cost::Fallback>& fb);
json::Value priced_usage_json(const cost::Catalog& c, const PricedUsage& p);

// {"id", "name", "url"?, "as_of"?, "reference"?} of a catalog source.
json::Value source_json(const cost::Catalog& c, const std::string& id);

// A date field (YYYY-MM-DD or any timestamp form) as days since the epoch.
Result<std::optional<int32_t>> read_opt_day(json::ObjectReader& r, const char* key);
// {"team": "a", …} → labels.
Result<cost::Labels> read_labels(const json::Value& v, const std::string& path);
// tenant?, provider?, model?, task?, labels?, from? (inclusive), to? (exclusive).
Result<cost::Filter> read_ledger_filter(json::ObjectReader& r);
// {total_usd, cost_usd{dim}, quantities{dim}, events, trusted, cost_per_trusted_task_usd}.
json::Value totals_json(const cost::Totals& t);
// A USD amount (decimal string or number) as exact nano-dollars.
Result<cost::Nanos> read_usd(const json::Value& v, const std::string& path);
// "resource_prices": the reference resource prices, overridden field by field.
Result<cost::ResourcePrices> read_resource_prices(json::ObjectReader& r);
// "cost_column": billed, effective or list.
Result<std::optional<cost::CostColumn>> read_cost_column(json::ObjectReader& r);
// A bounded array of strings.
Result<std::vector<std::string>> read_string_list(json::ObjectReader& r, const char* key, size_t max_items);

}  // namespace flk
