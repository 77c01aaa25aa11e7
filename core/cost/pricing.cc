#include "cost/pricing.h"

#include <algorithm>

namespace flk::cost {
namespace {

// The prices of one tier after long-context selection.
struct Effective {
  const PriceSet* base = nullptr;
  const PriceSet* context = nullptr;
  std::optional<PricePerM> get(Dim d) const {
    if (context && context->has(d)) return context->get(d);
    if (base && base->has(d)) return base->get(d);
    return std::nullopt;
  }
};

Effective select(const TierPrices& t, int64_t prompt, int64_t* above) {
  Effective e{&t.base, nullptr};
  for (const ContextTier& c : t.context)
    if (prompt > c.above_input_tokens) {
      e.context = &c.prices;
      *above = c.above_input_tokens;
    }
  return e;
}

}  // namespace

Result<std::string> canonical_tier(const std::string& tier) {
  if (tier.empty() || tier == "standard" || tier == "default" || tier == "auto") return std::string("standard");
  if (tier == "batch" || tier == "priority" || tier == "flex" || tier == "scale") return tier;
  return make_error("out_of_range", "service tier \"" + tier + "\" is not one of standard, batch, priority, flex, scale");
}

Result<Priced> price(const ModelEntry& e, const Quantities& q, const std::string& service_tier,
                     std::optional<int64_t> prompt_for_tiers) {
  Priced p;
  p.service_tier = service_tier;
  const int64_t prompt = prompt_for_tiers.value_or(q.prompt_tokens());
  int64_t std_above = 0, tier_above = 0;
  Effective standard = select(e.standard, prompt, &std_above);
  Effective tier;
  bool tiered = service_tier != "standard";
  if (tiered) {
    auto it = e.service_tiers.find(service_tier);
    if (it == e.service_tiers.end()) {
      p.notes.push_back("the catalog has no " + service_tier + " prices for " + e.model + ": standard prices used");
      tiered = false;
    } else {
      tier = select(it->second, prompt, &tier_above);
    }
  }
  p.context_above = tiered ? tier_above : std_above;
  if (p.context_above > 0)
    p.notes.push_back("long-context prices: the prompt has more than " + std::to_string(p.context_above) + " tokens");
  auto lookup = [&](Dim d) -> std::optional<PricePerM> {
    if (tiered) {
      if (auto v = tier.get(d)) return v;
      if (auto v = standard.get(d)) {
        p.notes.push_back(std::string(dim_name(d)) + " has no " + service_tier + " price: standard price used");
        return v;
      }
      return std::nullopt;
    }
    return standard.get(d);
  };
  // One allocation per event for its lines (ingest prices millions of events).
  p.lines.reserve(static_cast<size_t>(std::count_if(q.q.begin(), q.q.end(), [](int64_t n) { return n != 0; })));
  for (int i = 0; i < kDimCount; ++i) {
    Dim d = static_cast<Dim>(i);
    int64_t n = q[d];
    if (n == 0) continue;
    std::optional<PricePerM> unit = lookup(d);
    if (!unit) {
      // Substitutions the providers themselves apply, each stated.
      if (d == Dim::request) continue;  // no per-request fee
      if (d == Dim::reasoning) {
        unit = lookup(Dim::output);  // reasoning tokens are billed as output unless priced apart
      } else if (d == Dim::cache_read || d == Dim::cache_write) {
        unit = lookup(Dim::input);
        if (unit)
          p.notes.push_back(std::string(dim_name(d)) + ": the catalog has no price for " + e.model +
                            ", charged at the input price");
      }
    }
    if (!unit)
      return make_error("missing_price", "usage has " + std::to_string(n) + " " + dim_name(d) + " but the catalog has no " +
                                             dim_price_key(d) + " price for " + e.provider + "/" + e.model);
    FLK_ASSIGN(Nanos c, line_cost(n, *unit));
    if (!add_nanos(p.total, c)) return make_error("out_of_range", "the cost exceeds the money range");
    p.lines.push_back({d, n, *unit, c});
  }
  return p;
}

}  // namespace flk::cost
