// The exact decimal value of a double and its correctly rounded shorter forms, in big integers
// (util/big_uint.h): the slow routes of json/number_format.h and json/fixed_text.h, which
// printf's %.*e and %.*f took before (musl's printf works in software long double).
#pragma once
#include <cstddef>
#include <string>

namespace flk::json {

// All the digits of finite x >= 0: x = digits * 10^-frac exactly (digits without leading zeros,
// "0" for zero; frac >= 0). 0.5 gives ("5", 1); 2^-1074 has 751 digits.
void exact_decimal(double x, std::string& digits, int& frac);

// Keeps the first `keep` >= 1 digits, rounded half to even on the ones dropped (zeros are
// appended when there are fewer). Returns false when rounding carries out of the first digit:
// every kept digit is then '0' and the value is one unit of the digit before them.
bool round_digits_half_even(std::string& digits, size_t keep);

}  // namespace flk::json
