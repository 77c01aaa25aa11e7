// The catalog's JSON form (format "flk.price_catalog.v1"), read strictly and written
// canonically:
//   {"format": "flk.price_catalog.v1", "version": "...",
//    "sources": [{"id", "name", "url"?, "as_of"?, "reference"?}],
//    "fallback"?: {"provider"?, "model"},
//    "models": [{"provider", "model", "aliases"?, "effective_from"?, "effective_to"?, "source",
//                "prices": {"input_mtok": "2.5", "per_request": "0.01", ...},
//                "price_sources"?: {"cache_write_1h_mtok": "<source id>"},
//                "context_tiers"?: [{"above_input_tokens": 200000, "prices": {...}}],
//                "service_tiers"?: {"batch": {"prices": {...}, "context_tiers"?: [...]}}}]}
// Prices are decimal strings in USD per million tokens (*_mtok) or USD per unit (per_*); JSON
// numbers are accepted and read through their shortest decimal form (2.5e-06 → "2.5e-06").
#pragma once
#include <string_view>

#include "cost/catalog.h"
#include "json/value.h"

namespace flk::cost {

constexpr const char* kCatalogFormat = "flk.price_catalog.v1";

// Parses and finalizes a catalog; errors carry the JSON path under `path`.
Result<Catalog> catalog_from_json(const json::Value& v, const std::string& path);
json::Value catalog_to_json(const Catalog& c);
json::Value entry_to_json(const ModelEntry& e);

// A price value (decimal string or number) as PricePerM; `per_unit` selects USD-per-unit text.
Result<PricePerM> read_price(const json::Value& v, const std::string& path, bool per_unit);

}  // namespace flk::cost
