// Shared pieces of the cost ops (ops_cost*.cc): each file adds its ops to the table, and they
// share how a call chooses its catalog and how a priced usage event is written.
#pragma once
#include <optional>
#include <vector>

#include "cost/catalog.h"
#include "cost/pricing.h"
#include "cost/usage_read.h"
#include "facade/registry.h"
#include "json/fields.h"

namespace flk {

void add_cost_catalog_ops(std::vector<OpSpec>& t);
void add_cost_ledger_ops(std::vector<OpSpec>& t);
void add_cost_billing_ops(std::vector<OpSpec>& t);
void add_cost_forecast_ops(std::vector<OpSpec>& t);

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

}  // namespace flk
