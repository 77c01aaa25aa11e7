// printf's "%.*f" without printf: correctly rounded (half to even on the exact binary value,
// as glibc and musl do) for any double and any number of places, byte for byte the same text.
#pragma once
#include <string>

namespace flk::json {

// Appends x with `places` >= 0 fractional digits: "-0.500000" for (-0.5, 6), "inf", "-nan".
void append_fixed(std::string& out, double x, int places);

}  // namespace flk::json
