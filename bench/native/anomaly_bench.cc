// Anomaly detectors in the native core, without the JSON facade: vectors scored per second
// (goal: >= 1M/s for the 8 -> 3 -> 8 autoencoder) and training time per epoch. Data are
// synthetic rows of the given width (8 = the PCS/HRS vector of the spec, 38 = an SMD server).
#include <benchmark/benchmark.h>

#include <cmath>

#include "anomaly/detector.h"
#include "util/seeded_rng.h"

namespace {

using namespace flk;
using namespace flk::anomaly;

RowMatrix synthetic(int n, int d, uint64_t seed) {
  SeededRng rng(seed);
  RowMatrix x(n, d);
  for (int i = 0; i < n; ++i) {
    const double a = rng.normal(), b = rng.normal();
    for (int j = 0; j < d; ++j) x(i, j) = a * std::cos(j) + b * std::sin(j) + 0.1 * rng.normal();
  }
  return x;
}

std::vector<std::string> names(int d) {
  std::vector<std::string> c;
  for (int j = 0; j < d; ++j) c.push_back("m" + std::to_string(j));
  return c;
}

AnomalyModel fitted(DetectorKind kind, int d, int window, std::vector<int> hidden) {
  FitConfig cfg;
  cfg.kind = kind;
  cfg.window.window = window;
  cfg.window.deltas = window > 0;
  cfg.net.hidden = std::move(hidden);
  cfg.net.latent = 3;
  cfg.epochs = 2;
  return fit_model(synthetic(2000, d, 1), {}, names(d), cfg, nullptr).model;
}

// Scores a stream of 4096 distinct rows over and over; items/s = vectors scored per second.
void score_stream(benchmark::State& st, const AnomalyModel& m) {
  const int d = static_cast<int>(m.columns.size());
  const RowMatrix rows = synthetic(4096, d, 2);
  StreamState s = make_stream_state(m);
  ScoreScratch scratch;
  Eigen::Index i = 0;
  for (auto _ : st) {
    benchmark::DoNotOptimize(score_row(m, s, rows.row(i).data(), std::nan(""), scratch, nullptr).score);
    i = (i + 1) & 4095;
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
}

void BM_AnomalyScoreAe8x3x8(benchmark::State& st) {
  static const AnomalyModel m = fitted(DetectorKind::Autoencoder, 8, 0, {3});
  score_stream(st, m);
}
BENCHMARK(BM_AnomalyScoreAe8x3x8);

// The network alone: forward pass and reconstruction error of a standardised vector.
void BM_AnomalyReconstructAe8x3x8(benchmark::State& st) {
  static const AnomalyModel m = fitted(DetectorKind::Autoencoder, 8, 0, {3});
  const RowMatrix rows = synthetic(4096, 8, 2);
  MlpTrace trace;
  Eigen::Index i = 0;
  for (auto _ : st) {
    benchmark::DoNotOptimize(reconstruction_error(m.ae, rows.row(i).data(), trace, nullptr));
    i = (i + 1) & 4095;
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
}
BENCHMARK(BM_AnomalyReconstructAe8x3x8);

void BM_AnomalyScoreVae8(benchmark::State& st) {
  static const AnomalyModel m = fitted(DetectorKind::Vae, 8, 0, {4});
  score_stream(st, m);
}
BENCHMARK(BM_AnomalyScoreVae8);

void BM_AnomalyScoreIForest8(benchmark::State& st) {
  static const AnomalyModel m = fitted(DetectorKind::IsolationForest, 8, 0, {});
  score_stream(st, m);
}
BENCHMARK(BM_AnomalyScoreIForest8);

// The shipped default features on an SMD-sized row (38 metrics, window 16 with deltas).
void BM_AnomalyScoreAeSmdDefault(benchmark::State& st) {
  static const AnomalyModel m = [] {
    FitConfig cfg;
    cfg.epochs = 1;
    cfg.net.hidden = default_hidden(DetectorKind::Autoencoder, 38 * features_per_column(cfg.window));
    return fit_model(synthetic(2000, 38, 1), {}, names(38), cfg, nullptr).model;
  }();
  score_stream(st, m);
}
BENCHMARK(BM_AnomalyScoreAeSmdDefault);

// One training epoch over n rows; items/s = rows trained per second.
void train_epochs(benchmark::State& st, DetectorKind kind, int d, std::vector<int> hidden) {
  const int n = static_cast<int>(st.range(0));
  const RowMatrix x = synthetic(n, d, 3);
  NetConfig cfg;
  cfg.hidden = std::move(hidden);
  cfg.latent = 3;
  Mlp ae = make_autoencoder(d, cfg);
  AdamState adam = make_adam(ae);
  Vae v = make_vae(d, cfg);
  VaeAdam vadam = make_vae_adam(v);
  int64_t epoch = 0;
  for (auto _ : st) {
    if (kind == DetectorKind::Vae) benchmark::DoNotOptimize(train_vae_epoch(v, vadam, x, n, cfg, epoch++));
    else benchmark::DoNotOptimize(train_autoencoder_epoch(ae, adam, x, n, cfg, epoch++));
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()) * n);
}

void BM_AnomalyTrainEpochAe8x3x8(benchmark::State& st) { train_epochs(st, DetectorKind::Autoencoder, 8, {3}); }
BENCHMARK(BM_AnomalyTrainEpochAe8x3x8)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_AnomalyTrainEpochAeSmd(benchmark::State& st) {
  train_epochs(st, DetectorKind::Autoencoder, 152, default_hidden(DetectorKind::Autoencoder, 152));
}
BENCHMARK(BM_AnomalyTrainEpochAeSmd)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_AnomalyTrainEpochVaeSmd(benchmark::State& st) {
  train_epochs(st, DetectorKind::Vae, 152, default_hidden(DetectorKind::Vae, 152));
}
BENCHMARK(BM_AnomalyTrainEpochVaeSmd)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_AnomalyFitIForestSmd(benchmark::State& st) {
  const RowMatrix x = synthetic(10000, 152, 3);
  for (auto _ : st) benchmark::DoNotOptimize(fit_isolation_forest(x, 0, x.rows(), IForestConfig{}).trees.size());
}
BENCHMARK(BM_AnomalyFitIForestSmd)->Unit(benchmark::kMillisecond);

}  // namespace
