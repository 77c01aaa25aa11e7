#include "cost/forecast.h"

#include "math/dmath.h"

namespace flk::cost {

int forecast_min_history() { return ets_min_length(EtsKind::AAdN, 1); }

Result<SeriesForecast> forecast_series(const std::vector<double>& y, int horizon, int season) {
  const int n = static_cast<int>(y.size());
  const int need = forecast_min_history();
  if (n < need)
    return make_error("insufficient_history", "a forecast needs at least " + std::to_string(need) +
                                                  " days of history, got " + std::to_string(n) +
                                                  ": fewer give no basis for an interval");
  SeriesForecast out;
  std::vector<EtsKind> kinds = {EtsKind::ANN, EtsKind::AAdN};
  if (season > 1 && n >= ets_min_length(EtsKind::ANA, season)) {
    kinds.push_back(EtsKind::ANA);
    kinds.push_back(EtsKind::AAdA);
  } else if (season > 1) {
    out.notes.push_back("fewer than two weeks of history: no seasonal model");
  }
  // Candidates on the original scale and, for positive series, on the log scale (multiplicative
  // season and trend). AICc is compared on the original scale: the log fits pay the Jacobian
  // 2·Σ log y.
  bool positive = true;
  std::vector<double> logy;
  for (double v : y) {
    positive = positive && v > 0;
    if (positive) logy.push_back(dm::log(v));
  }
  double jacobian = 0;
  for (double v : logy) jacobian += 2 * v;
  bool first = true, best_log = false;
  for (int scale = 0; scale < (positive ? 2 : 1); ++scale)
    for (EtsKind k : kinds) {
      EtsFit f = fit_ets(k, scale ? logy : y, season);
      double crit = f.aicc + (scale ? jacobian : 0);
      if (first || crit < out.fit.aicc + (best_log ? jacobian : 0)) {
        out.fit = f;
        best_log = scale == 1;
      }
      first = false;
    }
  out.log_scale = best_log;
  out.method = ets_name(out.fit.kind) + std::string(best_log ? " on log spend" : "");
  out.points = forecast_ets(out.fit, horizon, kZ95);
  if (best_log) {
    // Back-transform: the median and the interval bounds map exactly through exp.
    for (ForecastPoint& p : out.points) p = {dm::exp(p.mean), dm::exp(p.lower), dm::exp(p.upper)};
    out.notes.push_back("fitted on log spend: points are medians");
  }
  bool clipped = false;
  for (ForecastPoint& p : out.points) {
    if (p.mean < 0 || p.lower < 0) clipped = true;
    if (p.mean < 0) p.mean = 0;
    if (p.lower < 0) p.lower = 0;
    if (p.upper < 0) p.upper = 0;
  }
  if (clipped) out.notes.push_back("negative values clipped at 0");
  return out;
}

Result<Backtest> backtest_series(const std::vector<double>& y, int horizon, int min_train, int season) {
  const int n = static_cast<int>(y.size());
  if (min_train < forecast_min_history()) min_train = forecast_min_history();
  if (n - horizon < min_train)
    return make_error("insufficient_history", "a backtest with horizon " + std::to_string(horizon) + " and " +
                                                  std::to_string(min_train) + " training points needs at least " +
                                                  std::to_string(min_train + horizon) + " observations, got " +
                                                  std::to_string(n));
  Backtest b;
  std::vector<double> ape_sum(horizon, 0.0);
  std::vector<int> ape_n(horizon, 0);
  double total = 0;
  int inside = 0, scored_for_coverage = 0;
  for (int o = min_train; o + horizon <= n; ++o) {
    std::vector<double> train(y.begin(), y.begin() + o);
    FLK_ASSIGN(SeriesForecast f, forecast_series(train, horizon, season));
    ++b.methods[f.method];
    ++b.origins;
    for (int j = 0; j < horizon; ++j) {
      double actual = y[o + j];
      const ForecastPoint& p = f.points[j];
      ++scored_for_coverage;
      if (actual >= p.lower && actual <= p.upper) ++inside;
      if (actual == 0) {
        ++b.zero_actuals;
        continue;
      }
      double ape = (actual - p.mean) / actual;
      if (ape < 0) ape = -ape;
      ape_sum[j] += ape;
      ++ape_n[j];
      total += ape;
      ++b.points;
    }
  }
  b.mape = b.points ? 100.0 * total / b.points : 0;
  for (int j = 0; j < horizon; ++j) b.mape_by_step.push_back(ape_n[j] ? 100.0 * ape_sum[j] / ape_n[j] : 0);
  b.coverage = scored_for_coverage ? static_cast<double>(inside) / scored_for_coverage : 0;
  return b;
}

}  // namespace flk::cost
