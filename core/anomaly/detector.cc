#include "anomaly/detector.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "anomaly/calibration.h"
#include "math/dmath.h"

namespace flk::anomaly {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Smallest calibration quantile: a detector that reconstructs its training data perfectly
// still gets a usable (if very sharp) scale.
constexpr double kMinQ = 1e-12;
// The rolling z-score divides by at least this fraction of the column's mean rolling spread in
// training (a flat window would otherwise divide by zero).
constexpr double kZFloor = 1e-3;

uint64_t bits_of(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

struct Raw {
  double raw = 0;
  double path_mean = 0, path_sd = 0;  // iforest
};

// The detector's raw score of one standardised row z (f: the unscaled features).
Raw evaluate(const AnomalyModel& m, const double* f, const double* z, ScoreScratch& s, double* deviation,
             bool samples) {
  Raw r;
  const int nf = feature_count(m);
  switch (m.kind) {
    case DetectorKind::Autoencoder:
      r.raw = reconstruction_error(m.ae, z, s.trace, deviation);
      break;
    case DetectorKind::Vae:
      r.raw = vae_score(m.vae, z, m.seed, samples ? m.vae_samples : 0, s.vae, deviation, s.errors);
      break;
    case DetectorKind::IsolationForest: {
      PathStats p = path_lengths(m.forest, z);
      r.path_mean = p.mean, r.path_sd = p.sd;
      double sc = isolation_score(m.forest, p.mean);
      r.raw = sc < 1 ? sc / (1 - sc) : std::numeric_limits<double>::infinity();
      if (deviation) std::memcpy(deviation, z, sizeof(double) * nf);
      break;
    }
    case DetectorKind::RollingZ: {
      double best = 0;
      for (int j = 0; j < static_cast<int>(m.columns.size()); ++j) {
        const double dev = f[dev_index(m.window, j)], sd = f[std_index(m.window, j)];
        if (std::isnan(dev) || std::isnan(sd)) continue;
        const double typical = m.scaler.mean[std_index(m.window, j)];  // mean rolling std in training
        const double floor = typical > 0 ? kZFloor * typical : kMinQ;
        const double zj = std::fabs(dev) / (sd > floor ? sd : floor);
        if (zj > best) best = zj;
      }
      r.raw = best;
      if (deviation) std::memcpy(deviation, z, sizeof(double) * nf);
      break;
    }
  }
  return r;
}

// Mean of the previous raw scores and this one; keeps the last smooth - 1 in `recent`.
double smoothed(int smooth, std::vector<double>& recent, double raw) {
  if (smooth <= 1) return raw;
  double sum = 0;
  for (double r : recent) sum += r;
  const double mean = (sum + raw) / static_cast<double>(recent.size() + 1);
  recent.push_back(raw);
  if (recent.size() > static_cast<size_t>(smooth - 1)) recent.erase(recent.begin());
  return mean;
}

double odds_score(const AnomalyModel& m, double mean_path) {
  double sc = isolation_score(m.forest, mean_path);
  return calibrate(sc < 1 ? sc / (1 - sc) : std::numeric_limits<double>::infinity(), m.q);
}

std::vector<double> column_means(const RowMatrix& raw) {
  std::vector<double> fill(raw.cols(), 0.0);
  for (Eigen::Index j = 0; j < raw.cols(); ++j) {
    double sum = 0;
    size_t n = 0;
    for (Eigen::Index i = 0; i < raw.rows(); ++i)
      if (!std::isnan(raw(i, j))) sum += raw(i, j), ++n;
    if (n) fill[j] = sum / static_cast<double>(n);
  }
  return fill;
}

}  // namespace

const char* detector_name(DetectorKind k) {
  switch (k) {
    case DetectorKind::Vae: return "vae";
    case DetectorKind::IsolationForest: return "iforest";
    case DetectorKind::RollingZ: return "zscore";
    case DetectorKind::Autoencoder: break;
  }
  return "ae";
}

bool parse_detector(const std::string& name, DetectorKind& out) {
  for (DetectorKind k : {DetectorKind::Autoencoder, DetectorKind::Vae, DetectorKind::IsolationForest,
                         DetectorKind::RollingZ})
    if (name == detector_name(k)) {
      out = k;
      return true;
    }
  return false;
}

int feature_count(const AnomalyModel& m) {
  return features_per_column(m.window) * static_cast<int>(m.columns.size());
}

namespace {
int clamp_int(int x, int lo, int hi) { return x < lo ? lo : (x > hi ? hi : x); }
}  // namespace

std::vector<int> default_hidden(DetectorKind k, int features) {
  const int wide = clamp_int(features / 2, 2, 64);
  if (k == DetectorKind::Vae) return {wide};
  return {wide, clamp_int(features / 4, 1, 16), wide};
}

int default_latent(int features) { return clamp_int(features / 4, 1, 16); }

uint64_t data_digest(const RowMatrix& raw, const std::vector<double>& times) {
  uint64_t h = mix_seed(static_cast<uint64_t>(raw.rows()), static_cast<uint64_t>(raw.cols()));
  for (Eigen::Index i = 0; i < raw.rows(); ++i)
    for (Eigen::Index j = 0; j < raw.cols(); ++j) h = mix_seed(h, bits_of(raw(i, j)));
  for (double t : times) h = mix_seed(h, bits_of(t));
  return h;
}

FitResult fit_model(const RowMatrix& raw, const std::vector<double>& times, const std::vector<std::string>& columns,
                    const FitConfig& cfg, const AnomalyModel* resume) {
  FitResult out;
  AnomalyModel& m = out.model;
  const Eigen::Index n = raw.rows();
  if (resume) {
    m = *resume;
  } else {
    m.kind = cfg.kind;
    m.columns = columns;
    m.window = cfg.window;
    m.fill = column_means(raw);
    m.seed = cfg.net.seed;
    m.net = cfg.net;
    m.vae_samples = cfg.kind == DetectorKind::Vae ? cfg.vae_samples : 0;
    m.smooth = cfg.smooth;
    m.data_digest = data_digest(raw, times);
    Eigen::Index val = static_cast<Eigen::Index>(std::floor(cfg.validation_fraction * static_cast<double>(n)));
    if (n - val < 1) val = 0;
    m.validation_rows = static_cast<size_t>(val);
    m.train_rows = static_cast<size_t>(n - val);
    if (cfg.kind == DetectorKind::IsolationForest) m.seed = cfg.forest.seed;
  }
  const Eigen::Index n_train = static_cast<Eigen::Index>(m.train_rows);
  const int nf = feature_count(m);

  RowMatrix feats(n, nf);
  WindowState st = make_window_state(m.window, static_cast<int>(m.columns.size()));
  for (Eigen::Index i = 0; i < n; ++i)
    push_row(m.window, m.fill, st, raw.row(i).data(), times.empty() ? kNaN : times[i], feats.row(i).data());
  if (!resume) m.scaler = fit_scaler(feats, 0, n_train, cfg.clip);
  RowMatrix z(n, nf);
  for (Eigen::Index i = 0; i < n; ++i) scale_row(m.scaler, feats.row(i).data(), z.row(i).data());

  ScoreScratch s;
  const Eigen::Index cal_begin = m.validation_rows > 0 ? n_train : 0;
  auto mean_error = [&]() {
    double sum = 0;
    for (Eigen::Index i = cal_begin; i < n; ++i)
      sum += evaluate(m, feats.row(i).data(), z.row(i).data(), s, nullptr, false).raw;
    return sum / static_cast<double>(n - cal_begin);
  };
  switch (m.kind) {
    case DetectorKind::Autoencoder:
    case DetectorKind::Vae:
      if (!resume) {
        if (m.kind == DetectorKind::Autoencoder) {
          m.ae = make_autoencoder(nf, m.net);
          m.ae_adam = make_adam(m.ae);
        } else {
          m.vae = make_vae(nf, m.net);
          m.vae_adam = make_vae_adam(m.vae);
        }
      }
      for (int e = 0; e < cfg.epochs; ++e) {
        EpochReport rep;
        rep.loss = m.kind == DetectorKind::Autoencoder
                       ? train_autoencoder_epoch(m.ae, m.ae_adam, z, n_train, m.net, m.epochs_done)
                       : train_vae_epoch(m.vae, m.vae_adam, z, n_train, m.net, m.epochs_done);
        rep.epoch = ++m.epochs_done;
        rep.validation_error = mean_error();
        out.history.push_back(rep);
      }
      m.has_optimizer = true;
      break;
    case DetectorKind::IsolationForest:
      m.forest = fit_isolation_forest(z, 0, n_train, cfg.forest);
      break;
    case DetectorKind::RollingZ:
      break;
  }

  std::vector<double> cal, recent;
  for (Eigen::Index i = cal_begin; i < n; ++i)
    cal.push_back(smoothed(m.smooth, recent, evaluate(m, feats.row(i).data(), z.row(i).data(), s, nullptr, false).raw));
  m.quantile = cfg.quantile;
  m.q = quantile(cal, cfg.quantile);
  m.levels.clear();
  for (double p : kCalibrationLevels) m.levels.push_back(quantile(cal, p));
  if (!(m.q > kMinQ)) m.q = kMinQ;
  m.rule = cfg.rule;
  return out;
}

StreamState make_stream_state(const AnomalyModel& m) {
  StreamState st;
  st.window = make_window_state(m.window, static_cast<int>(m.columns.size()));
  return st;
}

RowScore score_row(const AnomalyModel& m, StreamState& st, const double* raw, double time, ScoreScratch& s,
                   double* deviation) {
  RowScore r;
  const int nf = feature_count(m);
  s.features.resize(nf);
  s.z.resize(nf);
  r.filled = push_row(m.window, m.fill, st.window, raw, time, s.features.data());
  scale_row(m.scaler, s.features.data(), s.z.data());
  Raw e = evaluate(m, s.features.data(), s.z.data(), s, deviation, true);
  r.raw = smoothed(m.smooth, st.recent_raw, e.raw);
  r.score = calibrate(r.raw, m.q);
  switch (m.kind) {
    case DetectorKind::Vae: {
      // Spread (population standard deviation) of the calibrated scores of the decoded samples.
      const size_t k = s.errors.size();
      if (k > 1) {
        double sum = 0, ss = 0;
        for (double x : s.errors) sum += calibrate(x, m.q);
        const double mean = sum / static_cast<double>(k);
        for (double x : s.errors) {
          double d = calibrate(x, m.q) - mean;
          ss += d * d;
        }
        r.uncertainty = dm::sqrt(ss / static_cast<double>(k));
      }
      break;
    }
    case DetectorKind::IsolationForest: {
      // Standard error of the mean path length over trees, carried through to score units.
      const double se = e.path_sd / dm::sqrt(static_cast<double>(m.forest.trees.size()));
      r.uncertainty = 0.5 * (odds_score(m, e.path_mean - se) - odds_score(m, e.path_mean + se));
      break;
    }
    default:
      break;
  }
  return r;
}

}  // namespace flk::anomaly
