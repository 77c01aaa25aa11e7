#include "cost/ets.h"

#include "math/dmath.h"

namespace flk::cost {
namespace {

// Parameters in a box-constrained space: a = α, bb = β/α, gg = γ/(1-α), phi.
struct Raw {
  double a, bb, gg, phi;
};

constexpr double kAlphaMin = 0.01, kAlphaMax = 0.99;
constexpr double kPhiMin = 0.80, kPhiMax = 0.98;

double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

EtsParams to_params(EtsKind k, Raw r) {
  EtsParams p;
  p.alpha = clamp(r.a, kAlphaMin, kAlphaMax);
  p.beta = ets_trended(k) ? p.alpha * clamp(r.bb, 0.0, 1.0) : 0;
  p.gamma = ets_seasonal(k) ? (1 - p.alpha) * clamp(r.gg, 0.0, 1.0) : 0;
  p.phi = ets_trended(k) ? clamp(r.phi, kPhiMin, kPhiMax) : 1;
  return p;
}

struct Init {
  double level = 0, trend = 0;
  std::vector<double> season;  // indexed by t mod m
};

Init initial_states(EtsKind k, const std::vector<double>& y, int m) {
  Init s;
  const int n = static_cast<int>(y.size());
  if (ets_seasonal(k)) {
    // Classical decomposition over the first (up to four) full seasons: level = the first season's
    // mean, trend = the change of season means, seasonal states = the average deviation from them.
    const int seasons = n / m < 4 ? n / m : 4;
    std::vector<double> means(seasons, 0.0);
    for (int j = 0; j < seasons; ++j) {
      for (int i = 0; i < m; ++i) means[j] += y[j * m + i];
      means[j] /= m;
    }
    s.level = means[0];
    s.trend = ets_trended(k) ? (means[seasons - 1] - means[0]) / ((seasons - 1) * m) : 0;
    s.season.assign(m, 0.0);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < seasons; ++j) s.season[i] += y[j * m + i] - means[j];
      s.season[i] /= seasons;
    }
  } else {
    s.level = y[0];
    if (ets_trended(k)) {
      int span = n - 1 < 4 ? n - 1 : 4;
      s.trend = (y[span] - y[0]) / span;
    }
    s.season.assign(1, 0.0);
  }
  return s;
}

// Runs the recursions; returns the SSE and leaves the final states in *st.
double run(EtsKind k, const EtsParams& p, const std::vector<double>& y, int m, Init* st) {
  const bool seasonal = ets_seasonal(k);
  double l = st->level, b = st->trend, sse = 0;
  const int n = static_cast<int>(y.size());
  double* season = seasonal ? st->season.data() : nullptr;
  for (int t = 0, i = 0; t < n; ++t) {
    double s = seasonal ? season[i] : 0;
    double yhat = l + p.phi * b + s;
    double e = y[t] - yhat;
    double l_new = l + p.phi * b + p.alpha * e;
    b = p.phi * b + p.beta * e;
    l = l_new;
    if (seasonal) {
      season[i] = s + p.gamma * e;
      if (++i == m) i = 0;
    }
    sse += e * e;
  }
  st->level = l;
  st->trend = b;
  return sse;
}

double sse_of(EtsKind k, Raw r, const std::vector<double>& y, int m, const Init& init) {
  Init st = init;
  return run(k, to_params(k, r), y, m, &st);
}

}  // namespace

const char* ets_name(EtsKind k) {
  switch (k) {
    case EtsKind::ANN: return "ETS(A,N,N)";
    case EtsKind::AAdN: return "ETS(A,Ad,N)";
    case EtsKind::ANA: return "ETS(A,N,A)";
    case EtsKind::AAdA: return "ETS(A,Ad,A)";
  }
  return "ETS(A,N,N)";
}

bool ets_seasonal(EtsKind k) { return k == EtsKind::ANA || k == EtsKind::AAdA; }
bool ets_trended(EtsKind k) { return k == EtsKind::AAdN || k == EtsKind::AAdA; }

int ets_min_length(EtsKind kind, int m) {
  switch (kind) {
    case EtsKind::ANN: return 2;
    case EtsKind::AAdN: return 4;
    case EtsKind::ANA:
    case EtsKind::AAdA: return 2 * m;
  }
  return 2;
}

EtsFit fit_ets(EtsKind kind, const std::vector<double>& y, int m) {
  if (!ets_seasonal(kind)) m = 1;
  const Init init = initial_states(kind, y, m);
  // Coarse grid over the box, then a pattern search that halves its steps.
  static const double kA[] = {0.1, 0.3, 0.5, 0.7, 0.9};
  static const double kB[] = {0.02, 0.2};
  static const double kG[] = {0.0, 0.2};
  static const double kP[] = {0.9, 0.98};
  const bool tr = ets_trended(kind), se = ets_seasonal(kind);
  Raw best{0.3, 0.1, 0.1, 0.98};
  double best_sse = -1;
  for (double a : kA)
    for (double bb : kB) {
      if (!tr && bb != kB[0]) continue;
      for (double gg : kG) {
        if (!se && gg != kG[0]) continue;
        for (double ph : kP) {
          if (!tr && ph != kP[0]) continue;
          Raw r{a, bb, gg, ph};
          double s = sse_of(kind, r, y, m, init);
          if (best_sse < 0 || s < best_sse) {
            best_sse = s;
            best = r;
          }
        }
      }
    }
  double step[4] = {0.1, 0.1, 0.1, 0.04};
  for (int round = 0; round < 6; ++round) {
    bool improved = true;
    while (improved) {
      improved = false;
      for (int c = 0; c < 4; ++c) {
        if ((c == 1 || c == 3) && !tr) continue;
        if (c == 2 && !se) continue;
        for (int dir = -1; dir <= 1; dir += 2) {
          Raw r = best;
          double* f = c == 0 ? &r.a : c == 1 ? &r.bb : c == 2 ? &r.gg : &r.phi;
          *f += dir * step[c];
          if (c == 0) r.a = clamp(r.a, kAlphaMin, kAlphaMax);
          if (c == 1 || c == 2) *f = clamp(*f, 0.0, 1.0);
          if (c == 3) r.phi = clamp(r.phi, kPhiMin, kPhiMax);
          double s = sse_of(kind, r, y, m, init);
          if (s < best_sse) {
            best_sse = s;
            best = r;
            improved = true;
          }
        }
      }
    }
    for (double& s : step) s /= 2;
  }
  EtsFit f;
  f.kind = kind;
  f.m = m;
  f.p = to_params(kind, best);
  Init st = init;
  f.sse = run(kind, f.p, y, m, &st);
  f.level = st.level;
  f.trend = st.trend;
  f.season = st.season;
  f.n = static_cast<int>(y.size());
  f.k = 2 + (tr ? 3 : 0) + (se ? m : 0);  // α + level, β + φ + trend, γ + (m-1) seasonal states
  double dof = f.n > f.k ? f.n - f.k : f.n;
  f.sigma2 = f.sse / dof;
  double msse = f.sse / f.n;
  double aic = f.n * dm::log(msse > 1e-300 ? msse : 1e-300) + 2.0 * f.k;
  double denom = f.n - f.k - 1;
  f.aicc = denom > 0 ? aic + 2.0 * f.k * (f.k + 1) / denom : 1e300;
  return f;
}

std::vector<ForecastPoint> forecast_ets(const EtsFit& f, int h, double z) {
  std::vector<ForecastPoint> out(h);
  const bool se = ets_seasonal(f.kind);
  double phi_h = 0, phi_pow = 1, var_sum = 1;  // Σ_{j<h} c_j², starting with the 1 of j = 0
  for (int j = 1; j <= h; ++j) {
    phi_pow *= f.p.phi;
    phi_h += phi_pow;  // φ + … + φ^j
    double s = se ? f.season[(f.n + j - 1) % f.m] : 0;
    double mean = f.level + phi_h * f.trend + s;
    double sd = dm::sqrt(f.sigma2 * var_sum);
    out[j - 1] = {mean, mean - z * sd, mean + z * sd};
    double c = f.p.alpha + f.p.beta * phi_h + (se && j % f.m == 0 ? f.p.gamma : 0);
    var_sum += c * c;
  }
  return out;
}

}  // namespace flk::cost
