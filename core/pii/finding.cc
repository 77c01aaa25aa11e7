#include "pii/finding.h"

namespace flk::pii {
namespace {

constexpr const char* kNames[kKindCount] = {"email",    "phone", "payment_card",  "iban",           "us_ssn",
                                            "ipv4",     "ipv6",  "date_of_birth", "street_address", "secret"};

}  // namespace

const char* kind_name(Kind k) { return kNames[static_cast<int>(k)]; }

bool parse_kind(std::string_view name, Kind& out) {
  for (int i = 0; i < kKindCount; ++i)
    if (name == kNames[i]) {
      out = static_cast<Kind>(i);
      return true;
    }
  return false;
}

}  // namespace flk::pii
