// Decimal text to double without strtod for the numbers that allow it exactly (Clinger's fast
// path): at most 2^53 as a whole number of digits and a power of ten within 1e22, so one IEEE
// multiplication or division of two exact doubles gives the correctly rounded result, the same
// double strtod returns. musl's strtod (Emscripten, WASI) works in software long double, which
// made it most of the time of an op that reads many numbers (anomaly.score: 42 % in the browser
// build); glibc's is faster but still slower than this path.
#pragma once
#include <string_view>

namespace flk::json {

// `text` is any text (a JSON number, a CSV cell). Returns true only when all of it is a decimal
// number that strtod would read to its end (an optional '-', digits with at most one '.', at least
// one digit, then optionally e or E, a sign and at least one digit) and the fast path gives
// strtod's double; false otherwise, and the caller uses strtod.
bool decimal_to_double_fast(std::string_view text, double* out);

// Text to strtod's double: the fast path above, else strtod on a NUL-terminated copy. Returns
// false when strtod would not read all of `text` (no number, trailing characters); *out may be
// infinite when the number is beyond the range of a double. strtod also reads " 1", "inf", "nan"
// and "0x10": callers pass text their own grammar has checked to be a decimal number.
bool decimal_to_double(std::string_view text, double* out);

}  // namespace flk::json
