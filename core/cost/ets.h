// Exponential smoothing state-space models with additive errors (ETS, Hyndman et al. 2008):
// ANN (simple), AAdN (damped trend), ANA (weekly-style season), AAdA (Holt-Winters, damped).
// Smoothing parameters minimise the one-step squared error over a fixed grid refined by a
// pattern search (deterministic: fixed order, no randomness); initial states come from the
// first seasons. Prediction intervals use the class-1 variance formula with the residual
// variance, so they widen with the horizon as the model implies.
#pragma once
#include <string>
#include <vector>

namespace flk::cost {

enum class EtsKind { ANN, AAdN, ANA, AAdA };
const char* ets_name(EtsKind k);
bool ets_seasonal(EtsKind k);
bool ets_trended(EtsKind k);

struct EtsParams {
  double alpha = 0.3, beta = 0, gamma = 0, phi = 1;
};

struct EtsFit {
  EtsKind kind = EtsKind::ANN;
  int m = 1;  // season length (1: none)
  EtsParams p;
  double level = 0, trend = 0;
  std::vector<double> season;  // the last m seasonal states, oldest first
  double sse = 0;
  double sigma2 = 0;  // residual variance, SSE / (n - k)
  double aicc = 0;
  int n = 0;
  int k = 0;  // estimated parameters (smoothing + initial states)
};

// Minimum series length to fit a kind (two full seasons for the seasonal ones).
int ets_min_length(EtsKind kind, int m);
// Precondition: y.size() >= ets_min_length(kind, m).
EtsFit fit_ets(EtsKind kind, const std::vector<double>& y, int m);

struct ForecastPoint {
  double mean = 0, lower = 0, upper = 0;
};

// h steps ahead with z·σ_h intervals (z = 1.96 for 95 %).
std::vector<ForecastPoint> forecast_ets(const EtsFit& f, int h, double z);

}  // namespace flk::cost
