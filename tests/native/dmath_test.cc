#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "math/dmath.h"

// dm:: must stay within 2 ulp of the platform libm (which is itself within 1 ulp); the
// cross-build bit-identity of dm:: is checked by the parity suite.
static double ulps(double a, double b) { return std::fabs(a - b) / std::fabs(std::nextafter(b, INFINITY) - b); }

TEST(DMath, CloseToLibm) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-30, 30);
  for (int i = 0; i < 20000; ++i) {
    double x = std::exp(u(rng));
    EXPECT_LE(ulps(flk::dm::log(x), std::log(x)), 2) << x;
    EXPECT_LE(ulps(flk::dm::log2(x), std::log2(x)), 2) << x;
    double y = u(rng) * 20;
    EXPECT_LE(ulps(flk::dm::exp(y), std::exp(y)), 2) << y;
  }
}

TEST(DMath, ExactAndSpecialValues) {
  for (int k = -1070; k <= 1023; ++k) EXPECT_EQ(flk::dm::log2(std::ldexp(1.0, k)), k);
  EXPECT_EQ(flk::dm::log(1.0), 0.0);
  EXPECT_EQ(flk::dm::exp(0.0), 1.0);
  EXPECT_TRUE(std::isnan(flk::dm::log(-1.0)));
  EXPECT_EQ(flk::dm::log(0.0), -INFINITY);
  EXPECT_EQ(flk::dm::exp(1000.0), INFINITY);
  EXPECT_EQ(flk::dm::exp(-1000.0), 0.0);
  EXPECT_GT(flk::dm::exp(-740.0), 0.0);
  EXPECT_NEAR(flk::dm::sigmoid(0.0), 0.5, 0);
  EXPECT_NEAR(flk::dm::tanh(0.7), std::tanh(0.7), 1e-15);
}
