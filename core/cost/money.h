// Money and prices as exact integers.
//   Nanos     = integer nano-dollars (1e-9 USD); int64 holds ±9.2 billion USD.
//   PricePerM = integer nano-dollars per million units (tokens, requests, images), which is the
//               same integer as femto-dollars (1e-15 USD) per unit: every price in the LiteLLM
//               and genai-prices catalogs is an exact integer in this unit.
// A line item (quantity × unit price) is computed exactly and rounded once, half to even, to a
// whole nano-dollar; sums of line items are exact.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk::cost {

using Nanos = int64_t;
using PricePerM = int64_t;

constexpr int kUsdScale = 9;        // Nanos ↔ USD text
constexpr int kPriceMScale = 9;     // PricePerM ↔ "USD per million units" text
constexpr int kPriceUnitScale = 15; // PricePerM ↔ "USD per unit" text

// round_half_even(quantity × price / 10^6). Error out_of_range when the result overflows.
Result<Nanos> line_cost(int64_t quantity, PricePerM price);
// round_half_even(v / n) for n > 0 (an average cost).
Nanos divide(Nanos v, int64_t n);
// a += b; false on overflow.
bool add_nanos(Nanos& a, Nanos b);

// "0.00123", "18.0066386184": plain decimal, at least two fractional digits.
std::string usd(Nanos v);
// Prices as "USD per million units" text ("2.5", "0.01875").
std::string usd_per_m(PricePerM p);
std::string usd_per_unit(PricePerM p);

}  // namespace flk::cost
