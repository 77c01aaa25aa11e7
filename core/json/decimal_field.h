// Exact decimal quantities in JSON inputs (money, prices, fractions): a decimal string, or a JSON
// number read through its shortest round-trip text (2.5e-06 → "2.5e-06"), as an integer at a
// fixed scale (util/decimal.h). Finer digits than the scale are an error, never rounded away.
#pragma once
#include <cstdint>
#include <string_view>

#include "json/value.h"
#include "util/result.h"

namespace flk::json {

// Errors: wrong_type, bad_decimal, out_of_range (too large, or finer than 10^-scale).
Result<int64_t> read_scaled_decimal(const Value& v, std::string_view path, int scale);

}  // namespace flk::json
