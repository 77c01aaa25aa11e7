// UTC calendar arithmetic without the C library's time zone machinery (which differs between
// builds): days since 1970-01-01, and parsing of the date-time forms found in billing exports.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace flk {

constexpr int64_t kMsPerDay = 86400000;

// Proleptic Gregorian calendar; month 1..12, day 1..31.
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t days, int64_t* y, int* m, int* d);
int64_t floor_div(int64_t a, int64_t b);
// 0 = Monday … 6 = Sunday.
int weekday(int64_t days);
int days_in_month(int64_t y, int m);

// Milliseconds since the epoch (UTC) from:
//   2024-09-01                     2024-09-01T12:30:00Z         2024-09-01T12:30:00.250+02:00
//   2024-09-01 12:30:00 (UTC)      9/1/24 or 9/1/2024 (US month/day/year, as in spreadsheets)
// Error code bad_timestamp (no path; callers add theirs).
Result<int64_t> parse_timestamp_ms(std::string_view text);

std::string format_date(int64_t days);            // 2024-09-01
std::string format_timestamp(int64_t ms);         // 2024-09-01T12:30:00Z (with .mmm when nonzero)
std::string format_month(int64_t days);           // 2024-09

}  // namespace flk
