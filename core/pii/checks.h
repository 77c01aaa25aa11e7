// Check digits and number-plan rules that turn a digit string into a validated identifier.
// All take the digits (or IBAN characters) with separators already removed.
#pragma once
#include <string_view>

namespace flk::pii {

bool luhn_ok(std::string_view digits);
// Card brand by issuer identification number and length, or nullptr (Visa, Mastercard incl.
// 2221-2720, Amex, Discover, JCB, Diners Club, UnionPay, Maestro).
const char* card_brand(std::string_view digits);
// US SSN rules: area not 000, 666 or 900-999; group not 00; serial not 0000.
bool ssn_ok(std::string_view nine_digits);
// Registered IBAN length for a two-letter country code, or 0 when the country has no IBAN.
int iban_length(char c0, char c1);
// ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 == 1.
bool iban_mod97_ok(std::string_view iban);
// A calendar date with a year in 1900-2030 (the range a date of birth in a text has).
bool plausible_birth_date(int year, int month, int day);

}  // namespace flk::pii
