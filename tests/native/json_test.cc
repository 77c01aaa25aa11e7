#include <gtest/gtest.h>

#include <cfloat>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

#include "json/fields.h"
#include "json/grisu_shortest.h"
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

// Every surrogate escape must form a pair; no string may hold the bytes of a lone surrogate,
// which hosts that decode text would each repair differently.
TEST(Parse, SurrogateEscapesComeInPairs) {
  for (const char* text : {"[\"\\uDFAA\"]", "[\"\\uDd1e\\uD834\"]", "{\"\\udc00\":1}", "[\"a\\uDC00b\"]",
                           "[\"\\uD800\"]", "[\"\\uD800\\u0041\"]", "[\"\\uD800x\"]"})
    EXPECT_EQ(flk::json::parse(text).error().code, "bad_json") << text;
  EXPECT_EQ(flk::json::parse("[\"\xed\xa0\x80\"]").error().code, "bad_json");  // raw: not UTF-8
  auto pair = flk::json::parse("[\"\\uD834\\uDD1E \xed\x9f\xbf\"]");  // and U+D7FF just below
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->as_array()[0].as_string(), "\xf0\x9d\x84\x9e \xed\x9f\xbf");
}

// The reader copies a string's plain bytes 64, 16 or 8 at a time up to the first quote, backslash
// or control byte: each such byte at every offset of strings up to 140 bytes reads as it should.
TEST(Parse, StringStopsAtEveryOffset) {
  struct Stop {
    const char* json;  // as written inside the string
    const char* text;  // what it reads as ("" when the document is invalid)
  };
  const Stop stops[] = {{"\\\"", "\""}, {"\\\\", "\\"}, {"\\n", "\n"}, {"\\u0001", "\x01"},
                        {"\xc3\xa9", "\xc3\xa9"}, {"\x7f", "\x7f"}, {"\x1f", ""}, {"\x01", ""}};
  for (const Stop& stop : stops)
    for (size_t before = 0; before <= 140; ++before)
      for (size_t after : {size_t{0}, size_t{1}, size_t{17}}) {
        const std::string doc = "[\"" + std::string(before, 'a') + stop.json + std::string(after, 'z') + "\"]";
        auto v = flk::json::parse(doc);
        if (*stop.text == 0) {
          EXPECT_FALSE(v.ok()) << doc;
          continue;
        }
        ASSERT_TRUE(v.ok()) << doc;
        EXPECT_EQ(v->as_array()[0].as_string(), std::string(before, 'a') + stop.text + std::string(after, 'z')) << doc;
      }
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

TEST(Parse, IntegersAtTheirBoundsAndPastThem) {
  auto v = flk::json::parse(
      "[-9223372036854775808, -9223372036854775809, 18446744073709551615, 18446744073709551616, 0, -0, "
      "100000000000000000000000]");
  ASSERT_TRUE(v.ok());
  const auto& a = v->as_array();
  ASSERT_TRUE(a[0].is_int());
  EXPECT_EQ(a[0].as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(a[1].is_int());
  EXPECT_EQ(a[1].as_double(), -9223372036854775809.0);
  EXPECT_FALSE(a[2].is_int());
  EXPECT_EQ(a[2].as_double(), 18446744073709551615.0);
  EXPECT_EQ(a[3].as_double(), 18446744073709551616.0);
  ASSERT_TRUE(a[4].is_int());
  ASSERT_TRUE(a[5].is_int());
  EXPECT_EQ(a[5].as_int(), 0);
  EXPECT_EQ(a[6].as_double(), 1e23);
}

// A zero significand with a large exponent took RapidJSON's full-precision path to clz(0)
// (undefined; found by tests/fuzz/fuzz_json, stopped by UBSan in the sanitizer lane).
TEST(Parse, ZeroWithAHugeExponentIsZero) {
  for (const char* text : {"0e+308", "0.000e300", "-0E+300", "[0e308]"}) {
    auto v = flk::json::parse(text);
    ASSERT_TRUE(v.ok()) << text;
    const flk::json::Value& x = v->is_array() ? v->as_array()[0] : v.value();
    EXPECT_EQ(x.as_double(), 0.0) << text;
    EXPECT_EQ(std::signbit(x.as_double()), text[0] == '-') << text;
  }
}

// Twenty significant digits whose first nineteen and the rounding make 2^64: RapidJSON 1.1.0
// wrapped the significand to 0 and normalised it (clz(0), undefined; found by the fuzz smoke).
TEST(Parse, SignificandsAtTwoToTheSixtyFourRound) {
  for (const char* text : {"0.184467440737095516159", "18446744073709551615.9", "1844674407370955161599e-21"}) {
    auto v = flk::json::parse(text);
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_EQ(v->as_double(), std::strtod(text, nullptr)) << text;
  }
}

// Numbers above the largest double are refused rather than let in as infinity (RapidJSON 1.1.0
// also read many digits with an exponent within range as garbage: 1.55e373 came out as 1.98e28).
TEST(Parse, NoNumberComesOutNonFinite) {
  for (const char* text : {"1.7976931348623159e308", "[9e308]", "{\"a\":-1e309}",
                           "1555555555555555555555555555555555555555555555555555555555555555555e308"}) {
    auto v = flk::json::parse(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.error().code, "bad_json") << text;
  }
}

// Below the smallest subnormal a number rounds to the nearest double, as every correctly rounded
// reader does: RapidJSON 1.1.0 made 1e-324 NaN, 2.4e-324 the subnormal 5e-324 and
// 0.000000000000000000000000000001e-300 -1.714413771498028e+302 (found by tests/fuzz/fuzz_json).
TEST(Parse, TinyNumbersRoundToTheNearestDouble) {
  const double min_sub = std::numeric_limits<double>::denorm_min();
  for (auto [text, want] : std::initializer_list<std::pair<const char*, double>>{
           {"1e-324", 0.0}, {"2.4e-324", 0.0}, {"2.5e-324", min_sub}, {"5e-324", min_sub},
           {"0.000000000000000000000000000001e-300", 0.0}, {"0.000000000000000000000000000001e-290", 1e-320},
           {"-1e-400", -0.0}, {"7.4e-324", min_sub}, {"7.5e-324", 2 * min_sub}}) {
    auto v = flk::json::parse(text);
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_EQ(v->as_double(), want) << text;
    EXPECT_EQ(std::signbit(v->as_double()), std::signbit(want)) << text;
  }
}

// Bytes that are not UTF-8 (an op name, a CSV cell) write as U+FFFD per bad byte and never
// swallow the byte after a bad lead byte, so the output parses back to text that writes the same
// (found by tests/fuzz/fuzz_facade: "hrs\xc1.score" once wrote "hrs\u006escore").
TEST(Write, InvalidUtf8IsReplacedByteByByte) {
  EXPECT_EQ(flk::json::to_string(flk::json::Value("hrs\xc1.score")), "\"hrs\\ufffd.score\"");
  EXPECT_EQ(flk::json::to_string(flk::json::Value("\xc0\x80|\xed\x9f\xbf|\xf4\x90\x80\x80")),
            "\"\\ufffd\\ufffd|\\ud7ff|\\ufffd\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(flk::json::to_string(flk::json::Value("\xed\xb0\xb0|\xed\xa0\x80")),
            "\"\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\"");
  for (const char* bytes : {"a\xe2\x82", "\xff\xfe", "\xc3\xa9\xc3", "\xf0\x9f\x98\x80x", "json.c\xed\xb0\xb0"}) {
    std::string once = flk::json::to_string(flk::json::Value(bytes));
    auto back = flk::json::parse(once);
    ASSERT_TRUE(back.ok()) << once;
    EXPECT_EQ(flk::json::to_string(back.value()), once);
  }
}

TEST(Parse, LargestDoublesInEveryNotation) {
  for (const char* text : {"1.7976931348623157e308", "17976931348623157e292", "0.17976931348623157e309",
                           "0.0000017976931348623157e314"}) {
    auto v = flk::json::parse(text);
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_EQ(v->as_double(), DBL_MAX) << text;
  }
}

TEST(Write, CanonicalOrderAndEscapes) {
  auto v = flk::json::parse(R"({"b":1,"a":[true,null],"D":"\u00e9\ud83d\ude00\n\"/<"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(flk::json::to_string(*v), R"({"D":"\u00e9\ud83d\ude00\n\"/<","a":[true,null],"b":1})");
}

// Plain runs are found eight bytes at a time; a lone byte is written by the byte loop. Every
// byte value, at every offset of a word and after it, writes as it does alone, and so does each
// byte of random ASCII text (runs of bytes to escape next to each other).
TEST(Write, EveryByteAtEveryOffsetWritesAsAlone) {
  auto alone = [](int b) {
    const std::string q = flk::json::to_string(flk::json::Value(std::string(1, static_cast<char>(b))));
    return q.substr(1, q.size() - 2);
  };
  for (int b = 0; b < 256; ++b)
    for (size_t at = 0; at < 18; ++at) {
      std::string s(18, 'a');
      s[at] = static_cast<char>(b);
      const std::string want = "\"" + std::string(at, 'a') + alone(b) + std::string(17 - at, 'a') + "\"";
      EXPECT_EQ(flk::json::to_string(flk::json::Value(s)), want) << "byte " << b << " at " << at;
    }
  std::mt19937 rng(5);
  for (int k = 0; k < 2000; ++k) {
    std::string s, want = "\"";
    for (size_t n = rng() % 41; n > 0; --n) {
      const int b = rng() % 4 ? static_cast<int>(rng() % 128) : "\"\\\x1f\x7f"[rng() % 4];
      s += static_cast<char>(b);
      want += alone(b);
    }
    EXPECT_EQ(flk::json::to_string(flk::json::Value(s)), want + "\"") << k;
  }
}

// libstdc++'s std::to_chars (Ryu) gives the shortest, closest digits; ours must agree, and the
// text must read back as x.
struct Digits {
  std::string d;
  int exp10;
  bool operator==(const Digits& o) const { return d == o.d && exp10 == o.exp10; }
};

Digits ryu_digits(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + 64, x, std::chars_format::scientific);
  Digits out{"", 0};
  const char* c = buf;
  for (; c < r.ptr && *c != 'e'; ++c)
    if (*c != '.') out.d += *c;
  std::from_chars(c + (c[1] == '+' ? 2 : 1), r.ptr, out.exp10);
  return out;
}

// Checks x > 0 against Ryu and the round trip of the full text; counts Grisu3's declines.
void expect_agrees(double x, long* declined) {
  Digits ours{"", 0};
  flk::json::shortest_digits(x, ours.d, ours.exp10);
  Digits ryu = ryu_digits(x);
  ASSERT_TRUE(ours == ryu) << ours.d << "e" << ours.exp10 << " vs " << ryu.d << "e" << ryu.exp10;
  std::string text = format_double(x);
  ASSERT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  Digits g{"", 0};
  if (!flk::json::grisu_shortest(x, g.d, g.exp10)) ++*declined;
}

double from_bits(uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

TEST(NumberFormat, AgreesWithRyuOnRandomBitPatterns) {
  std::mt19937_64 rng(11);
  long n = 0, declined = 0;
  for (int i = 0; i < 2000000; ++i) {
    double x = std::fabs(from_bits(rng()));
    if (!std::isfinite(x) || x == 0) continue;
    ++n;
    expect_agrees(x, &declined);
    if (HasFatalFailure()) return;
  }
  // Grisu3 declines about 0.5% of random doubles; the exact fallback must have been exercised.
  std::printf("Grisu3 declined %ld of %ld random doubles (%.3f%%)\n", declined, n,
              100.0 * static_cast<double>(declined) / static_cast<double>(n));
  EXPECT_GT(declined, 0);
  EXPECT_LT(declined, n / 50);
}

TEST(NumberFormat, AgreesWithRyuOnSubnormalsAndExtremes) {
  std::mt19937_64 rng(12);
  long declined = 0;
  for (int i = 0; i < 200000; ++i) {
    double x = from_bits(rng() & 0x000FFFFFFFFFFFFFull);
    if (x != 0) expect_agrees(x, &declined);
    if (HasFatalFailure()) return;
  }
  for (uint64_t u = 1; u < 2000; ++u) expect_agrees(from_bits(u), &declined);  // 5e-324 upwards
  const double extremes[] = {5e-324, DBL_MIN, DBL_MAX, DBL_TRUE_MIN * 3, DBL_EPSILON, 1.0};
  for (double x : extremes) {
    expect_agrees(x, &declined);
    if (x != 5e-324) expect_agrees(std::nextafter(x, 0.0), &declined);
    if (x != DBL_MAX) expect_agrees(std::nextafter(x, HUGE_VAL), &declined);
  }
  EXPECT_EQ(format_double(DBL_MIN), "2.2250738585072014e-308");
  EXPECT_EQ(format_double(std::nextafter(DBL_MIN, 0.0)), "2.225073858507201e-308");
}

// Values next to powers of ten: the digit count changes there, and 10^k itself is often exact.
TEST(NumberFormat, AgreesWithRyuNextToPowersOfTen) {
  long declined = 0;
  for (int k = -323; k <= 308; ++k) {
    double x = std::strtod(("1e" + std::to_string(k)).c_str(), nullptr);
    double below = x, above = x;
    expect_agrees(x, &declined);
    for (int step = 0; step < 8; ++step) {
      below = std::nextafter(below, 0.0);
      if (below > 0) expect_agrees(below, &declined);
      if (above < DBL_MAX) {
        above = std::nextafter(above, HUGE_VAL);
        expect_agrees(above, &declined);
      }
      if (HasFatalFailure()) return;
    }
  }
}

// Every power of two, where the round-trip interval is lopsided (half as wide below).
TEST(NumberFormat, AgreesWithRyuOnPowersOfTwo) {
  long declined = 0;
  for (int k = -1074; k <= 1023; ++k) {
    expect_agrees(std::ldexp(1.0, k), &declined);
    if (HasFatalFailure()) return;
  }
}

// Values with a few decimals, as ops typically print them.
TEST(NumberFormat, AgreesWithRyuOnFewDecimals) {
  std::mt19937_64 rng(13);
  long declined = 0;
  for (int i = 0; i < 200000; ++i) {
    double x = static_cast<double>(rng() % 100000000000ull) /
               std::pow(10.0, static_cast<double>(rng() % 16));
    if (x != 0) expect_agrees(x, &declined);
    if (HasFatalFailure()) return;
  }
}

TEST(Fields, ChoiceMapsNamesAndListsThemWhenWrong) {
  enum class Mode { kA, kB, kC };
  const std::initializer_list<flk::json::Choice<Mode>> modes = {{"a", Mode::kA}, {"b", Mode::kB}, {"c", Mode::kC}};
  auto v = flk::json::parse(R"({"m":"b","bad":"d","num":1,"long":")" + std::string(65, 'a') + R"("})");
  ASSERT_TRUE(v.ok());
  auto r = flk::json::ObjectReader::open(v.value(), "$");
  ASSERT_TRUE(r.ok());
  auto m = r.value().choice<Mode>("m", modes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value(), Mode::kB);
  auto absent = r.value().opt_choice<Mode>("none", modes);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent.value().has_value());
  auto bad = r.value().opt_choice<Mode>("bad", modes);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "out_of_range");
  EXPECT_EQ(bad.error().path, "$.bad");
  EXPECT_EQ(bad.error().message, "$.bad must be a, b or c");
  auto num = r.value().choice<Mode>("num", modes);
  ASSERT_FALSE(num.ok());
  EXPECT_EQ(num.error().code, "wrong_type");
  auto too_long = r.value().choice<Mode>("long", modes);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, "too_large");
  EXPECT_EQ(flk::json::not_a_choice("$.x", {"only"}).message, "$.x must be only");
}

// The readers keep a path as its parts (PathRef) and build it only for an error: the built paths
// must be those join_path and index_path give, nested as deep as the reads go.
TEST(Fields, PathsBuiltForAnErrorAreTheFieldsPaths) {
  auto v = flk::json::parse(R"({"a b":{"m":[[1,2],[3,"x"]],"k":[[1],[2,3]]},"n":[0,7]})");
  ASSERT_TRUE(v.ok());
  auto r = flk::json::ObjectReader::open(v.value(), "$.in");
  ASSERT_TRUE(r.ok());
  const flk::json::Value* ab = r.value().optional("a b");
  ASSERT_NE(ab, nullptr);
  auto inner = flk::json::ObjectReader::open(*ab, r.value().path_of("a b"));
  ASSERT_TRUE(inner.ok());
  auto m = flk::json::read_matrix(*inner.value().optional("m"), flk::json::PathRef(inner.value().path(), "m"), 4, 4);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().path, "$.in[\"a b\"].m[1][1]");
  EXPECT_EQ(m.error().message, "$.in[\"a b\"].m[1][1] must be a number, got string");
  auto k = flk::json::read_matrix(*inner.value().optional("k"), "$.k", 4, 4);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().code, "bad_length");
  EXPECT_EQ(k.error().message, "$.k[1] has 2 values; the first row has 1");
  auto n = flk::json::read_ints(*r.value().optional("n"), flk::json::PathRef(r.value().path(), "n"), 4, 0, 5);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().path, "$.in.n[1]");
  EXPECT_EQ(n.error().message, "$.in.n[1] = 7 is outside [0, 5]");
  auto s = inner.value().string("m");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().path, "$.in[\"a b\"].m");
}
