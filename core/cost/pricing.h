// Quantities × one catalog entry's prices → cost lines. The service tier ("batch",
// "priority", "flex") and long-context tier are chosen here; every substitution (a tier without
// its own price for a dimension, cache tokens without a cache price) is stated in notes, and a
// dimension that has usage but no price at all is an error, never $0.
#pragma once
#include <string>
#include <vector>

#include "cost/catalog.h"
#include "cost/usage.h"

namespace flk::cost {

struct CostLine {
  Dim dim;
  int64_t quantity = 0;
  PricePerM unit_price = 0;
  Nanos cost = 0;
};

struct Priced {
  std::vector<CostLine> lines;  // in Dim order, only dimensions with usage
  Nanos total = 0;
  std::string service_tier = "standard";
  int64_t context_above = 0;  // the long-context threshold applied (0: none)
  std::vector<std::string> notes;
};

// Canonical tier name: "default"/"standard"/"auto"/"" → "standard"; error out_of_range otherwise
// unless it is one of batch, priority, flex, scale.
Result<std::string> canonical_tier(const std::string& tier);

// Error codes: missing_price (usage in a dimension the entry cannot price), out_of_range (overflow).
// prompt_for_tiers: the prompt size that selects long-context prices (default: q's own; for
// quantities summed over many requests, pass the average request's).
Result<Priced> price(const ModelEntry& e, const Quantities& q, const std::string& service_tier,
                     std::optional<int64_t> prompt_for_tiers = {});

}  // namespace flk::cost
