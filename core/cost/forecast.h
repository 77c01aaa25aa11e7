// Spend forecasts with 95 % intervals and their rolling-origin backtest. The model is chosen by
// AICc among the ETS forms the history can support: weekly-seasonal ones (ANA, AAdA — Holt-
// Winters) from two full seasons on, trend/level ones (AAdN, ANN) from 4 points; fewer is the
// error insufficient_history rather than a band with nothing behind it. Spend is never negative,
// so means and lower bounds are clipped at 0 (and the clipping is noted).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cost/ets.h"
#include "util/result.h"

namespace flk::cost {

struct SeriesForecast {
  std::string method;  // "ETS(A,Ad,A)", …
  std::vector<ForecastPoint> points;
  bool log_scale = false;  // the fit is on log spend (multiplicative season and trend)
  EtsFit fit;
  std::vector<std::string> notes;
};

constexpr double kZ95 = 1.959963984540054;

// The fewest daily values a forecast is made from (4).
int forecast_min_history();
// Error insufficient_history when y has fewer than forecast_min_history() values.
Result<SeriesForecast> forecast_series(const std::vector<double>& y, int horizon, int season);

struct Backtest {
  double mape = 0;                   // percent, over every (origin, step) with a nonzero actual
  std::vector<double> mape_by_step;  // percent, per horizon step
  double coverage = 0;               // share of actuals inside the 95 % interval
  int origins = 0;
  int points = 0;                    // (origin, step) pairs scored
  int zero_actuals = 0;              // skipped: APE undefined
  std::map<std::string, int> methods;  // model chosen at each origin
};

// Fits on y[0..o) and scores o..o+h-1 for every origin o from min_train to n-h.
// Error insufficient_history when no origin fits.
Result<Backtest> backtest_series(const std::vector<double>& y, int horizon, int min_train, int season);

}  // namespace flk::cost
