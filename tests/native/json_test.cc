#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>

#include "json/number_format.h"
#include "json/parse.h"
#include "json/write.h"

using flk::json::format_double;

TEST(NumberFormat, MatchesPythonRepr) {
  EXPECT_EQ(format_double(1.0), "1.0");
  EXPECT_EQ(format_double(0.2), "0.2");
  EXPECT_EQ(format_double(0.528320834), "0.528320834");
  EXPECT_EQ(format_double(1e-05), "1e-05");
  EXPECT_EQ(format_double(1e-07), "1e-07");
  EXPECT_EQ(format_double(0.0001), "0.0001");
  EXPECT_EQ(format_double(1e16), "1e+16");
  EXPECT_EQ(format_double(1e15), "1000000000000000.0");
  EXPECT_EQ(format_double(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(format_double(-0.0), "-0.0");
  EXPECT_EQ(format_double(0.0), "0.0");
  EXPECT_EQ(format_double(-1.5e-300), "-1.5e-300");
  EXPECT_EQ(format_double(5e-324), "5e-324");
  EXPECT_EQ(format_double(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(format_double(-0.011739960602344248), "-0.011739960602344248");
  EXPECT_EQ(format_double(100.0), "100.0");
  EXPECT_EQ(format_double(12.5), "12.5");
}

TEST(Parse, RejectsWhatTheContractForbids) {
  EXPECT_EQ(flk::json::parse("{\"a\":1,\"a\":2}").error().code, "duplicate_key");
  EXPECT_EQ(flk::json::parse("{\"a\":NaN}").error().code, "bad_json");
  EXPECT_EQ(flk::json::parse("{\"a\":Infinity}").error().code, "bad_json");
  EXPECT_EQ(flk::json::parse("{\"a\":1} x").error().code, "bad_json");
  EXPECT_EQ(flk::json::parse("\"\xff\"").error().code, "bad_json");
  EXPECT_EQ(flk::json::parse(std::string(100, '[') + std::string(100, ']')).error().code, "too_deep");
  flk::json::ParseLimits small;
  small.max_bytes = 4;
  EXPECT_EQ(flk::json::parse("[1,2,3]", small).error().code, "too_large");
}

TEST(Parse, NumbersKeepTheirKind) {
  auto v = flk::json::parse("[1, 1.0, 9223372036854775807, 9223372036854775808, -3]");
  ASSERT_TRUE(v.ok());
  const auto& a = v->as_array();
  EXPECT_TRUE(a[0].is_int());
  EXPECT_FALSE(a[1].is_int());
  EXPECT_TRUE(a[2].is_int());
  EXPECT_FALSE(a[3].is_int());
  EXPECT_EQ(a[4].as_int(), -3);
}

TEST(Write, CanonicalOrderAndEscapes) {
  auto v = flk::json::parse(R"({"b":1,"a":[true,null],"D":"\u00e9\ud83d\ude00\n\"/<"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(flk::json::to_string(*v), R"({"D":"\u00e9\ud83d\ude00\n\"/<","a":[true,null],"b":1})");
}

// libstdc++'s std::to_chars (Ryu) gives the shortest, closest digits; ours must agree on
// random bit patterns and on every power of two (where the round-trip interval is lopsided).
TEST(NumberFormat, AgreesWithRyuOnRandomDoubles) {
  std::mt19937_64 rng(11);
  auto ryu_digits = [](double x) {
    char buf[64];
    auto r = std::to_chars(buf, buf + 64, x, std::chars_format::scientific);
    std::string s(buf, r.ptr);
    std::string d;
    for (char c : s.substr(0, s.find('e')))
      if (c >= '0' && c <= '9') d += c;
    return d + "e" + std::to_string(std::atoi(s.c_str() + s.find('e') + 1));
  };
  auto our_digits = [](double x) {
    std::string s = format_double(x);
    double back = std::strtod(s.c_str(), nullptr);
    EXPECT_EQ(back, x) << s;
    return s;
  };
  for (int i = 0; i < 200000; ++i) {
    uint64_t u = rng();
    double x;
    std::memcpy(&x, &u, 8);
    if (!std::isfinite(x) || x == 0) continue;
    std::string ours = our_digits(x);
    // Compare digit strings: strip sign, point and exponent formatting from ours.
    std::string d;
    size_t e = ours.find('e');
    for (char c : ours.substr(0, e))
      if (c >= '0' && c <= '9') d += c;
    size_t nz = d.find_first_not_of('0');
    std::string sig = d.substr(nz);
    while (sig.size() > 1 && sig.back() == '0') sig.pop_back();
    std::string ryu = ryu_digits(std::fabs(x));
    ASSERT_EQ(sig, ryu.substr(0, ryu.find('e'))) << ours << " vs " << ryu;
  }
  // Values with few decimals take the fast path; they must agree with Ryu too.
  for (int i = 0; i < 200000; ++i) {
    double x = static_cast<double>(rng() % 100000000000ull) / std::pow(10.0, static_cast<double>(rng() % 16));
    if (x == 0) continue;
    std::string ours = format_double(x);
    ASSERT_EQ(std::strtod(ours.c_str(), nullptr), x) << ours;
    std::string d;
    for (char c : ours.substr(0, ours.find('e')))
      if (c >= '0' && c <= '9') d += c;
    std::string sig = d.substr(d.find_first_not_of('0'));
    while (sig.size() > 1 && sig.back() == '0') sig.pop_back();
    std::string ryu = ryu_digits(x);
    ASSERT_EQ(sig, ryu.substr(0, ryu.find('e'))) << ours << " vs " << ryu;
  }
  for (int k = -1074; k <= 1023; ++k) {
    double x = std::ldexp(1.0, k);
    std::string ours = format_double(x);
    ASSERT_EQ(std::strtod(ours.c_str(), nullptr), x);
    std::string ryu = ryu_digits(x);
    std::string d;
    for (char c : ours.substr(0, ours.find('e')))
      if (c >= '0' && c <= '9') d += c;
    std::string sig = d.substr(d.find_first_not_of('0'));
    while (sig.size() > 1 && sig.back() == '0') sig.pop_back();
    ASSERT_EQ(sig, ryu.substr(0, ryu.find('e'))) << ours << " vs " << ryu;
  }
}
