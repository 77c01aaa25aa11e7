// Decimal text <-> scaled integers: a value v at scale s is the integer v·10^s (money at scale 9
// is integer nano-dollars). Parsing is exact; digits past the scale are rounded half to even and
// the caller is told, so nothing is lost silently. Accepts "-12.5", "1.8E-9", "+0.000125", ".5".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk {

// Errors (no path; callers add theirs): bad_decimal (not a decimal number), out_of_range
// (does not fit int64 at this scale). *rounded is set when digits past the scale were dropped.
Result<int64_t> parse_decimal(std::string_view text, int scale, bool* rounded = nullptr);

// Plain decimal text (no exponent) with trailing fractional zeros removed, keeping at least
// min_frac fractional digits: format_decimal(1500000000, 9, 2) == "1.50".
std::string format_decimal(int64_t v, int scale, int min_frac = 0);

}  // namespace flk
