// Decimal text to the nearest double (ties to even), exactly as glibc's and musl's strtod round,
// without strtod: the slow route behind json/decimal_double.h's fast path. Any number of digits,
// any exponent; subnormals, underflow to zero and overflow to infinity as strtod gives them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flk::json {

// digits * 10^exp10, digits being '0'-'9' only (leading zeros allowed; empty reads as 0).
double digits_to_double(std::string_view digits, int64_t exp10);

// Reads the longest prefix of `text` of the form [+-] digits [. digits] [e|E [+-] digits], with
// at least one digit before the exponent, into *out and returns its length: strtod's `end` for
// such text (0 and *out = 0 when there is no such prefix). Unlike strtod it reads no leading
// space, "inf", "nan" or hexadecimal.
size_t read_decimal(std::string_view text, double* out);

}  // namespace flk::json
