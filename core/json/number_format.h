// The one float formatter of the project: Python's repr() of a double (shortest digits that
// round-trip; positional for 1e-4 <= |x| < 1e16 with at least one fractional digit, otherwise
// scientific with a signed exponent of at least two digits). The PCS signature bytes depend on it.
#pragma once
#include <string>

namespace flk::json {

// Appends the text of a finite double to out. Precondition: std::isfinite(x).
void append_double(std::string& out, double x);
std::string format_double(double x);

}  // namespace flk::json
