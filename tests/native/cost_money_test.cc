// Exact money arithmetic: decimal parsing/formatting, wide products, line rounding, dates.
#include <gtest/gtest.h>

#include "cost/money.h"
#include "util/civil_time.h"
#include "util/decimal.h"
#include "util/wide_uint.h"

using namespace flk;

TEST(Decimal, ParsesExactlyAndRoundsHalfEven) {
  bool r = false;
  EXPECT_EQ(*parse_decimal("18.00663861840", 9, &r), 18006638618);
  EXPECT_TRUE(r);  // the 11th decimal 4 is dropped (…618|40 → …618)
  EXPECT_EQ(*parse_decimal("0.00000080000", 9, &r), 800);
  EXPECT_FALSE(r);  // trailing zeros are not a loss
  EXPECT_EQ(*parse_decimal("1.8E-9", 9, &r), 2);
  EXPECT_TRUE(r);
  EXPECT_EQ(*parse_decimal("9.984E-7", 9), 998);   // 998.4 → 998
  EXPECT_EQ(*parse_decimal("0.0000000025", 9), 2);  // 2.5 → 2 (even)
  EXPECT_EQ(*parse_decimal("0.0000000035", 9), 4);  // 3.5 → 4 (even)
  EXPECT_EQ(*parse_decimal("0.00000000250001", 9), 3);
  EXPECT_EQ(*parse_decimal("-12.5", 0), -12);
  EXPECT_EQ(*parse_decimal("-13.5", 0), -14);
  EXPECT_EQ(*parse_decimal("2.5e-06", 15), 2500000000);  // LiteLLM per-token → nano-USD per million
  EXPECT_EQ(*parse_decimal(".5", 1), 5);
  EXPECT_EQ(*parse_decimal("1e-30", 9, &r), 0);
  EXPECT_TRUE(r);
  EXPECT_EQ(*parse_decimal("-9223372036.854775808", 9), INT64_MIN);
  EXPECT_EQ(parse_decimal("9223372036.854775808", 9).error().code, "out_of_range");
  for (const char* bad : {"", "-", "1.2.3", "1e", "abc", "1,5", " 1", "1 ", "0x10", "e5", "."})
    EXPECT_EQ(parse_decimal(bad, 9).error().code, "bad_decimal") << bad;
}

TEST(Decimal, Formats) {
  EXPECT_EQ(format_decimal(1500000000, 9, 2), "1.50");
  EXPECT_EQ(format_decimal(0, 9, 2), "0.00");
  EXPECT_EQ(format_decimal(-123, 9, 2), "-0.000000123");
  EXPECT_EQ(format_decimal(2500000000, 9, 0), "2.5");
  EXPECT_EQ(format_decimal(18750000, 9, 0), "0.01875");
  EXPECT_EQ(format_decimal(INT64_MIN, 9, 0), "-9223372036.854775808");
}

TEST(WideUint, ProductsBeyond64BitsRoundOnce) {
  int64_t out = 0;
  // (2^40 · 10^9) / 10^6 = 2^40 · 1000, exact.
  WideUint a(uint64_t{1} << 40);
  ASSERT_TRUE(a.mul(1000000000));
  ASSERT_TRUE(div_round_half_even(a, 1000000, 0, &out));
  EXPECT_EQ(out, (int64_t{1} << 40) * 1000);
  // Division by d·2^shift with a half remainder rounds to even.
  ASSERT_TRUE(div_round_half_even(WideUint(5), 2, 0, &out));
  EXPECT_EQ(out, 2);
  ASSERT_TRUE(div_round_half_even(WideUint(7), 2, 0, &out));
  EXPECT_EQ(out, 4);
  ASSERT_TRUE(div_round_half_even(WideUint(3u << 30), 3, 30, &out));
  EXPECT_EQ(out, 1);
  WideUint big(UINT64_MAX);
  ASSERT_TRUE(big.mul(UINT64_MAX));
  EXPECT_FALSE(div_round_half_even(big, 1000000, 0, &out));  // quotient > INT64_MAX
}

TEST(Money, LineCostIsExactThenRoundedHalfEven) {
  // 1,069 cache-read tokens at $0.30 per million = $0.0003207 = 320,700 nano-USD.
  EXPECT_EQ(*cost::line_cost(1069, 300000000), 320700);
  // 1 token at $0.01875/M = 18.75 nano → 19; 2 tokens = 37.5 → 38 (even); 3 = 56.25 → 56.
  EXPECT_EQ(*cost::line_cost(1, 18750000), 19);
  EXPECT_EQ(*cost::line_cost(2, 18750000), 38);
  EXPECT_EQ(*cost::line_cost(3, 18750000), 56);
  // Beyond 64 bits: 10^12 tokens at $150/M = $150,000,000.
  EXPECT_EQ(*cost::line_cost(1000000000000, 150000000000), 150000000000000000);
  EXPECT_EQ(cost::line_cost(INT64_MAX, INT64_MAX).error().code, "out_of_range");
  EXPECT_EQ(cost::usd(320700), "0.0003207");
}

TEST(CivilTime, RoundTripsAndParsesExportForms) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  for (int64_t d : {-800000, -1, 0, 19782, 2932896}) {
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    EXPECT_EQ(days_from_civil(y, m, dd), d);
  }
  EXPECT_EQ(weekday(0), 3);  // 1970-01-01 was a Thursday
  const int64_t t = 19967 * kMsPerDay;  // 2024-09-01
  EXPECT_EQ(*parse_timestamp_ms("2024-09-01"), t);
  EXPECT_EQ(*parse_timestamp_ms("2024-09-01 22:00:00"), t + 22 * 3600000);
  EXPECT_EQ(*parse_timestamp_ms("2024-09-01T22:00:00.250Z"), t + 22 * 3600000 + 250);
  EXPECT_EQ(*parse_timestamp_ms("2024-09-02T00:30:00+02:00"), t + 22 * 3600000 + 1800000);
  EXPECT_EQ(*parse_timestamp_ms("9/1/24"), t);
  EXPECT_EQ(*parse_timestamp_ms("9/1/2024"), t);
  for (const char* bad : {"2024-02-30", "2024-13-01", "2024-09-01X", "24-09-01", "2024-09-01T25:00", "9/1/202"})
    EXPECT_EQ(parse_timestamp_ms(bad).error().code, "bad_timestamp") << bad;
  EXPECT_EQ(format_timestamp(t + 250), "2024-09-01T00:00:00.250Z");
  EXPECT_EQ(format_date(-1), "1969-12-31");
}
