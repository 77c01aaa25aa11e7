// ITU-T E.164 country calling codes with the lengths of their national significant numbers.
#pragma once
#include <string_view>

namespace flk::pii {

struct CallingCode {
  int code;
  int min_nsn;
  int max_nsn;
};

// Splits digits (after the '+') into a calling code from the table and checks the remaining
// length against it. Codes are prefix-free, so the first 1-, 2- or 3-digit prefix found is the one.
// Countries missing from the table are not recognised (docs/pii.md lists the table's scope).
const CallingCode* match_calling_code(std::string_view digits);

}  // namespace flk::pii
