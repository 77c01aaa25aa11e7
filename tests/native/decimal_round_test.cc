#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "util/decimal_round.h"

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// round_exact's contract: the double strtod reads back from printf's "%.*f".
double via_printf(double x, int places) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return std::strtod(buf, nullptr);
}

void expect_as_printf(double x, int places) {
  const double got = flk::round_exact(x, places), want = via_printf(x, places);
  ASSERT_TRUE(same_bits(got, want)) << std::hexfloat << x << " places " << places << " gave " << got << " not " << want;
}

TEST(DecimalRound, RoundExactMatchesPrintfOnRandomDoubles) {
  std::mt19937_64 rng(20261204);
  for (int k = 0; k < 300000; ++k) {
    double x;
    if (k % 3 == 0) {  // any bit pattern with an exponent from 2^-80 to 2^60
      const uint64_t bits = (rng() & 0x800fffffffffffffULL) | static_cast<uint64_t>(1023 - 80 + rng() % 140) << 52;
      std::memcpy(&x, &bits, sizeof x);
    } else {  // near a multiple of 10^-9 scaled like the PCS fields
      x = std::ldexp(static_cast<double>(rng() >> 11), -53) * std::pow(10.0, static_cast<double>(rng() % 8));
      x = std::nextafter(x, (rng() & 1) ? 1e300 : -1e300);
    }
    expect_as_printf(x, static_cast<int>(rng() % 10));
  }
}

TEST(DecimalRound, RoundExactTiesAndEdges) {
  // odd multiples of 2^-10: x * 10^9 ends in exactly .5, a tie printf breaks to even
  for (int odd = 1; odd < 4000; odd += 2) {
    expect_as_printf(odd / 1024.0, 9);
    expect_as_printf(-odd / 1024.0, 9);
    expect_as_printf(odd / 2.0, 0);
    expect_as_printf(odd / 8.0, 2);
  }
  for (double x : {0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 4e-10, 5e-10, -5e-10, 6e-10, 9007199.254740991,
                   9007199.254740993, 9007199254740991.0, 1e300, -1e300, 0.9999999995, 0.99999999949999})
    for (int places = 0; places <= 9; ++places) expect_as_printf(x, places);
  EXPECT_TRUE(std::isnan(flk::round_exact(std::nan(""), 9)));
  EXPECT_EQ(flk::round_exact(INFINITY, 9), INFINITY);
}

}  // namespace
