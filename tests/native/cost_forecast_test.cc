// Forecasts on generated weekly-seasonal series whose continuation is known, their rolling-origin
// backtests (MAPE target ≤ 10 %), interval coverage, and the fallbacks on short histories.
#include <gtest/gtest.h>

#include <cstdint>

#include "cost/forecast.h"

using namespace flk::cost;

namespace {

// Deterministic noise: xorshift64, Irwin–Hall(12) - 6 ≈ N(0, 1).
struct Noise {
  uint64_t s;
  double uniform() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<double>(s >> 11) * (1.0 / 9007199254740992.0);
  }
  double normal() {
    double t = 0;
    for (int i = 0; i < 12; ++i) t += uniform();
    return t - 6;
  }
};

// LLM-style daily spend: weekday/weekend profile (multiplicative), weekly growth, relative noise.
std::vector<double> spend(int days, double level, double growth_per_week, double noise_sd, uint64_t seed) {
  static const double kWeek[7] = {1.0, 1.06, 1.1, 1.04, 0.95, 0.45, 0.4};
  Noise n{seed};
  std::vector<double> y;
  for (int t = 0; t < days; ++t) {
    double base = level * (1 + growth_per_week * t / 7.0) * kWeek[t % 7];
    y.push_back(base * (1 + noise_sd * n.normal()));
  }
  return y;
}

}  // namespace

TEST(Forecast, NoiselessSeasonalSeriesIsContinued) {
  // Additive week + linear trend: the next 7 days are known exactly.
  std::vector<double> y;
  const double week[7] = {10, 12, 13, 12, 11, 4, 3};
  for (int t = 0; t < 63 + 7; ++t) y.push_back(50 + 0.2 * t + week[t % 7]);
  std::vector<double> train(y.begin(), y.begin() + 63);
  auto f = forecast_series(train, 7, 7);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(ets_seasonal(f->fit.kind)) << f->method;
  for (int j = 0; j < 7; ++j) EXPECT_NEAR(f->points[j].mean, y[63 + j], 0.01 * y[63 + j]) << j;
}

TEST(Forecast, BacktestMapeOnGeneratedSpendIsWithinTarget) {
  struct Case {
    double growth, noise;
    uint64_t seed;
  };
  for (const Case& c : {Case{0.0, 0.03, 1}, Case{0.01, 0.05, 2}, Case{0.02, 0.08, 3}}) {
    std::vector<double> y = spend(91, 200, c.growth, c.noise, c.seed);
    auto b = backtest_series(y, 7, 28, 7);
    ASSERT_TRUE(b.ok());
    EXPECT_LE(b->mape, 10.0) << "noise " << c.noise;
    // Noise alone puts the floor near 0.8·noise (mean absolute deviation of a normal).
    EXPECT_GE(b->mape, 0.5 * 100 * c.noise);
    EXPECT_GE(b->coverage, 0.85) << "noise " << c.noise;
    EXPECT_EQ(b->origins, 91 - 7 - 28 + 1);
  }
}

TEST(Forecast, UnforecastableNoiseIsReportedAsSuch) {
  // Pure heavy noise around a level: the backtest must say so rather than claim accuracy.
  std::vector<double> y = spend(70, 100, 0, 0.4, 9);
  auto b = backtest_series(y, 7, 28, 7);
  ASSERT_TRUE(b.ok());
  EXPECT_GT(b->mape, 10.0);
}

TEST(Forecast, ShortHistoriesSaySo) {
  // Under 4 days there is no model behind an interval: a typed error, not a band.
  for (const std::vector<double>& y : {std::vector<double>{}, {5.0}, {4.0, 6.0, 5.0}}) {
    auto e = forecast_series(y, 3, 7);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, "insufficient_history");
  }
  EXPECT_EQ(forecast_series({4.0, 6.0, 5.0}, 3, 7).error().message,
            "a forecast needs at least 4 days of history, got 3: fewer give no basis for an interval");
  auto four = forecast_series({4.0, 6.0, 5.0, 5.0}, 3, 7);
  ASSERT_TRUE(four.ok());
  EXPECT_LT(four->points[0].lower, four->points[0].upper);
  auto ten = forecast_series(spend(10, 100, 0, 0.05, 4), 7, 7);
  ASSERT_TRUE(ten.ok());
  EXPECT_FALSE(ets_seasonal(ten->fit.kind));
  EXPECT_EQ(ten->notes[0], "fewer than two weeks of history: no seasonal model");
  // Intervals widen with the horizon (compared on the same weekday).
  auto f = forecast_series(spend(60, 100, 0.01, 0.05, 5), 30, 7);
  ASSERT_TRUE(f.ok());
  EXPECT_GT(f->points[28].upper - f->points[28].lower, f->points[0].upper - f->points[0].lower);
  EXPECT_EQ(backtest_series(spend(20, 100, 0, 0.05, 6), 7, 14, 7).error().code, "insufficient_history");
}
