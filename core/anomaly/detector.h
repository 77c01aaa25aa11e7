// A trained anomaly detector and everything it needs to score a raw metric row: gap-fill
// values, the windowed feature spec, the per-feature scaler, the model (autoencoder, VAE,
// isolation forest or the rolling z-score baseline), the calibration quantile and the decision
// thresholds. fit_model learns all of it from unlabeled rows; score_row scores one row of a
// stream whose window state the caller keeps.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "anomaly/autoencoder.h"
#include "anomaly/decision.h"
#include "anomaly/feature_scaler.h"
#include "anomaly/isolation_forest.h"
#include "anomaly/window_features.h"

namespace flk::anomaly {

enum class DetectorKind { Autoencoder, Vae, IsolationForest, RollingZ };
const char* detector_name(DetectorKind k);  // "ae", "vae", "iforest", "zscore"
bool parse_detector(const std::string& name, DetectorKind& out);
inline bool is_network(DetectorKind k) { return k == DetectorKind::Autoencoder || k == DetectorKind::Vae; }

constexpr double kCalibrationLevels[] = {0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 1.0};
constexpr size_t kCalibrationLevelCount = sizeof(kCalibrationLevels) / sizeof(kCalibrationLevels[0]);

// The defaults are the configuration measured in docs/anomaly.md (flk anomaly eval on the
// development portion of NAB, SMD and ASD); change them only together with that table.
struct FitConfig {
  DetectorKind kind = DetectorKind::Autoencoder;
  WindowSpec window{true, 16, true, false};  // value, rolling dev/std over 16 rows, delta
  double clip = 5;                   // |z| limit after scaling; 0: none
  NetConfig net;                     // ae, vae
  int epochs = 20;                   // epochs to run in this call (ae, vae)
  IForestConfig forest;              // iforest
  int vae_samples = 8;               // decodings per scored row for the VAE's uncertainty
  double validation_fraction = 0.2;  // the last rows: calibration only, never trained on
  double quantile = 0.99;            // of the validation rows' raw scores -> q
  int smooth = 5;                    // score the mean raw score of the last `smooth` rows
  DecisionRule rule;
};

struct AnomalyModel {
  DetectorKind kind = DetectorKind::Autoencoder;
  std::vector<std::string> columns;
  WindowSpec window;
  std::vector<double> fill;  // per raw column: used for a gap before the first value
  FeatureScaler scaler;      // per feature
  Mlp ae;
  Vae vae;
  int vae_samples = 0;
  IsolationForest forest;
  int smooth = 1;            // rows averaged into each raw score
  double quantile = 0;       // p of the calibration quantile
  double q = 0;              // raw-score quantile: score = raw / (raw + q)
  // Quantiles of the calibration rows' raw scores at kCalibrationLevels: how sharp the
  // calibration is, and what threshold another quantile would give (q_p / (q_p + q)).
  std::vector<double> levels;
  DecisionRule rule;
  uint64_t seed = 1;
  // Training record; the optimiser state is kept only while training continues in later calls.
  NetConfig net;
  int64_t epochs_done = 0;
  size_t train_rows = 0, validation_rows = 0;
  uint64_t data_digest = 0;  // of the training rows, so a resumed fit sees the same data
  bool has_optimizer = false;
  AdamState ae_adam;
  VaeAdam vae_adam;
};

int feature_count(const AnomalyModel& m);

// Layer sizes used when a fit does not give them, as a function of the feature count.
std::vector<int> default_hidden(DetectorKind k, int features);
int default_latent(int features);

struct EpochReport {
  int64_t epoch = 0;              // 1-based, counting earlier calls
  double loss = 0;                // mean training loss
  double validation_error = 0;    // mean reconstruction error of the validation rows
};

struct FitResult {
  AnomalyModel model;
  std::vector<EpochReport> history;  // this call's epochs
};

// Digest of the raw training rows and timestamps (NaN-aware, bit exact).
uint64_t data_digest(const RowMatrix& raw, const std::vector<double>& times);

// raw: n x columns, NaN = missing; times: empty or one per row (seconds, already checked by the
// caller for the order policy). With `resume` (a network model that kept its optimiser state
// and was fitted on the same rows), training continues from it for cfg.epochs more epochs.
// Precondition: n >= 2 and at least one row for training.
FitResult fit_model(const RowMatrix& raw, const std::vector<double>& times, const std::vector<std::string>& columns,
                    const FitConfig& cfg, const AnomalyModel* resume);

struct RowScore {
  double raw = 0;          // detector units (reconstruction error, isolation odds, max |z|),
                           // averaged over the last `smooth` rows
  double score = 0;        // calibrated, in [0, 1)
  double uncertainty = 0;  // in score units; 0 for the deterministic ae and zscore
  int filled = 0;          // gaps filled in this row
};

// What a scored stream carries from one row to the next.
struct StreamState {
  WindowState window;
  std::vector<double> recent_raw;  // the last smooth - 1 unsmoothed raw scores, oldest first
};
StreamState make_stream_state(const AnomalyModel& m);

struct ScoreScratch {
  std::vector<double> features, z, residual, errors;
  MlpTrace trace;
  VaeScratch vae;
};

// Scores one raw row (NaN = missing) at `time` (NaN when the series has no timestamps). When
// deviation != nullptr, writes feature_count(m) per-feature deviations in standardised units
// (the reconstruction residual for ae/vae, the standardised features otherwise).
RowScore score_row(const AnomalyModel& m, StreamState& st, const double* raw, double time, ScoreScratch& s,
                   double* deviation);

}  // namespace flk::anomaly
