// The individual scanners behind pii::scan. Each appends candidate findings (which may overlap
// those of another scanner; scan.cc resolves overlaps). Every scanner is a hand-written matcher
// that walks the text once and, from each start position, looks at no more than a fixed window
// (the bound is given per scanner), so the work is linear in the text with a documented constant.
#pragma once
#include <string_view>

#include "pii/finding.h"

namespace flk::pii {

// Digit-shaped values: payment cards, phone numbers, US SSNs, IPv4 addresses, dates of birth and
// street addresses ("1600 Pennsylvania Avenue"). Chunks of at most 64 bytes; a candidate joins
// at most 6 space-separated chunks; an address looks at most 96 bytes past its number.
void scan_numbers(std::string_view t, Findings& out);
// Dates with a month name after a birth word: at most 32 bytes from a token start.
void scan_birth_dates(std::string_view t, Findings& out);
// local@domain.tld around each '@': at most 64 bytes left and 253 right of it.
void scan_emails(std::string_view t, Findings& out);
// IBANs: two capital letters and two check digits, at most 34 characters plus group spaces.
void scan_ibans(std::string_view t, Findings& out);
// IPv6 addresses: runs of hex digits, ':' and '.' of at most 45 bytes.
void scan_ipv6(std::string_view t, Findings& out);
// Credentials: provider token formats, private-key blocks, JWTs and high-entropy values assigned
// to key-like names. Tokens of at most 4096 bytes; names of at most 48 bytes.
void scan_secrets(std::string_view t, Findings& out);

}  // namespace flk::pii
