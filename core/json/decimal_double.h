// Decimal text to double without strtod for the numbers that allow it exactly (Clinger's fast
// path): at most 2^53 as a whole number of digits and a power of ten within 1e22, so one IEEE
// multiplication or division of two exact doubles gives the correctly rounded result, the same
// double strtod returns. musl's strtod (Emscripten, WASI) works in software long double, which
// made it most of the time of an op that reads many numbers (anomaly.score: 42 % in the browser
// build); the exact slow path (json/read_decimal.h) that replaced it is slower still.
#pragma once
#include <string_view>

namespace flk::json {

// `text` is any text (a JSON number, a CSV cell). Returns true only when all of it is a decimal
// number that strtod would read to its end (an optional '-', digits with at most one '.', at least
// one digit, then optionally e or E, a sign and at least one digit) and the fast path gives
// strtod's double; false otherwise, and the caller takes the slow path.
bool decimal_to_double_fast(std::string_view text, double* out);

// Text to strtod's double: the fast path above, else json/read_decimal.h (exact, big integers).
// Returns false when strtod would not read all of `text` (no number, trailing characters); *out
// may be infinite when the number is beyond the range of a double. strtod would also read " 1",
// "inf", "nan" and "0x10", which this does not: callers pass text their own grammar has checked
// to be a decimal number.
bool decimal_to_double(std::string_view text, double* out);

}  // namespace flk::json
