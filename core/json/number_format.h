// The one float formatter of the project: Python's repr() of a double (shortest digits that
// round-trip; positional for 1e-4 <= |x| < 1e16 with at least one fractional digit, otherwise
// scientific with a signed exponent of at least two digits). The PCS signature bytes depend on it.
// Digits: Grisu3 with an exact big-integer fallback for the ~0.5% it cannot prove.
#pragma once
#include <string>

namespace flk::json {

// Appends the text of a finite double to out. Precondition: std::isfinite(x).
void append_double(std::string& out, double x);

// Shortest round-trip significant digits of finite x > 0 (closest to x among the shortest),
// e.g. 0.01234 -> digits "1234", exp10 -2 (x = 1.234e-2).
void shortest_digits(double x, std::string& digits, int& exp10);
std::string format_double(double x);

}  // namespace flk::json
