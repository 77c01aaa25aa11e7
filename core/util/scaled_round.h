// |x| * 10^places rounded half to even to an integer, exactly, in 64/128-bit integers: printf's
// "%.*f" digits without the point when they fit 64 bits, the common case of every fixed-point
// number the project writes or rounds (json/fixed_text.h, util/decimal_round.h).
#pragma once
#include <cstdint>

namespace flk {

// Returns false when places is outside 0..9 or the result is 2^64 or more.
bool scaled_round(double x, int places, uint64_t* n);

}  // namespace flk
