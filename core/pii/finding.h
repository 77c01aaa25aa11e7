// What a PII detector reports: the kind of value, where it is (byte offsets into the scanned
// text, end exclusive), how sure the rule is, and which rule fired.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace flk::pii {

enum class Kind { Email, Phone, PaymentCard, Iban, UsSsn, Ipv4, Ipv6, DateOfBirth, StreetAddress, Secret };
constexpr int kKindCount = 10;

// Stable snake_case names ("payment_card"); parse_kind accepts exactly these.
const char* kind_name(Kind k);
bool parse_kind(std::string_view name, Kind& out);

struct Finding {
  Kind kind;
  size_t begin;
  size_t end;
  double confidence;  // a fixed value per rule, in (0, 1]
  const char* rule;   // e.g. "luhn_iin", "e164"
};

using Findings = std::vector<Finding>;

}  // namespace flk::pii
