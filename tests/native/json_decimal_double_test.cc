#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "json/decimal_double.h"

namespace {

using flk::json::decimal_to_double_fast;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Where the fast path answers, it must give strtod's double bit for bit.
void expect_as_strtod(const std::string& s, bool fast_expected) {
  double d = 0;
  const bool fast = decimal_to_double_fast(s, &d);
  EXPECT_EQ(fast, fast_expected) << s;
  if (fast) EXPECT_TRUE(same_bits(d, std::strtod(s.c_str(), nullptr))) << s << " gave " << d;
}

TEST(JsonDecimalDouble, Boundaries) {
  expect_as_strtod("0.5", true);
  expect_as_strtod("-0.0", true);
  expect_as_strtod("0e5", true);
  expect_as_strtod("-0.000e-999", true);
  expect_as_strtod("1E+2", true);
  expect_as_strtod("123.456e-5", true);
  expect_as_strtod("1e22", true);
  expect_as_strtod("1e-22", true);
  expect_as_strtod("1e23", false);
  expect_as_strtod("1e-23", false);
  expect_as_strtod("900719925474099.2e1", true);  // 2^53 digits
  expect_as_strtod("9007199254740993", false);    // 2^53 + 1: needs rounding
  expect_as_strtod("9007199254740992.0", false);  // 2^53, but 17 digits with the trailing zero
  expect_as_strtod("0.30000000000000004", false);
  expect_as_strtod("1.0000000000000000000", false);  // 20 digits
  expect_as_strtod("0.0000000000000000000000001", false);
  expect_as_strtod("1e99999999999", false);
  double d = 1;
  ASSERT_TRUE(decimal_to_double_fast("-0.0", &d));
  EXPECT_TRUE(std::signbit(d));
}

// CSV cells (pcs/rows.cc) are not checked against JSON's grammar first: text that strtod does
// not read to its end must not take the fast path.
TEST(JsonDecimalDouble, TextStrtodStopsEarlyIsNotFast) {
  for (const char* s : {"", "-", ".", "-.", "e5", "1e", "1e+", "1E-", "+1", "--1", "1.5.3", "1-2", "1e5e5"})
    expect_as_strtod(s, false);
  expect_as_strtod(".5", true);
  expect_as_strtod("5.", true);
  expect_as_strtod("-.5e1", true);
}

TEST(JsonDecimalDouble, RandomDecimalsMatchStrtod) {
  std::mt19937_64 rng(20261203);
  int fast = 0;
  const int total = 200000;
  for (int k = 0; k < total; ++k) {
    std::string s = rng() % 2 ? "-" : "";
    const int int_digits = 1 + static_cast<int>(rng() % 10);
    const int frac_digits = static_cast<int>(rng() % 12);
    for (int i = 0; i < int_digits; ++i) s += static_cast<char>('0' + (i == 0 && int_digits > 1 ? 1 + rng() % 9 : rng() % 10));
    if (frac_digits) {
      s += '.';
      for (int i = 0; i < frac_digits; ++i) s += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 3 == 0) s += (rng() % 2 ? "e-" : "e") + std::to_string(rng() % 30);
    double d = 0;
    if (!decimal_to_double_fast(s, &d)) continue;
    ++fast;
    ASSERT_TRUE(same_bits(d, std::strtod(s.c_str(), nullptr))) << s;
  }
  EXPECT_GT(fast, total / 2);  // most such numbers take the fast path, so the check is not vacuous
}

// The whole reader: strtod's double for every text, fast or not, and true only when all of it is read.
TEST(JsonDecimalDouble, ReaderGivesStrtodsDoubleAndSaysWhetherAllWasRead) {
  for (const char* s : {"0.1", "+1.5", "12345678901234567890123", "1e-400", "2.4e-324", "1e400", "-1e400",
                        "0.000000000000000000000000000001e-300"}) {
    double d = 0;
    EXPECT_TRUE(flk::json::decimal_to_double(s, &d)) << s;
    EXPECT_TRUE(same_bits(d, std::strtod(s, nullptr))) << s << " gave " << d;
  }
  for (const char* s : {"", "-", ".", "1e", "1e+", "1.5x", "1 ", "abc"}) {
    double d = 0;
    EXPECT_FALSE(flk::json::decimal_to_double(s, &d)) << s;
  }
}

}  // namespace
