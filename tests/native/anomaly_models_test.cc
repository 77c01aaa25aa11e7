// Detectors in core/anomaly: the seeded generator, isolation forest, autoencoder, VAE and the
// windowed features, on small synthetic data with known answers.
#include <gtest/gtest.h>

#include <cmath>

#include "anomaly/autoencoder.h"
#include "anomaly/calibration.h"
#include "anomaly/detector.h"
#include "anomaly/isolation_forest.h"
#include "anomaly/window_features.h"
#include "util/seeded_rng.h"

using namespace flk;
using namespace flk::anomaly;

namespace {

// n points on a 2-D plane inside R^8 plus small noise; normal rows for the detectors.
RowMatrix plane_data(int n, uint64_t seed) {
  SeededRng rng(seed);
  RowMatrix x(n, 8);
  for (int i = 0; i < n; ++i) {
    double a = rng.normal(), b = rng.normal();
    for (int j = 0; j < 8; ++j) x(i, j) = a * (j % 3 == 0 ? 1.0 : 0.5) + b * (j % 2 ? 1.0 : -0.7) + 0.05 * rng.normal();
  }
  return x;
}

}  // namespace

TEST(SeededRng, DeterministicAndWellSpread) {
  SeededRng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next(), b.next());
  EXPECT_NE(SeededRng(42).next(), c.next());
  SeededRng r(7);
  double sum = 0, sq = 0, usum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double z = r.normal();
    sum += z;
    sq += z * z;
    double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    ASSERT_LT(r.below(7), 7u);
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.01);
  EXPECT_NEAR(usum / n, 0.5, 0.005);
}

TEST(IsolationForest, PathLengthNormalisation) {
  EXPECT_EQ(average_path_length(1), 0.0);
  EXPECT_EQ(average_path_length(2), 1.0);
  // 2 (ln 255 + gamma) - 2 * 255 / 256
  EXPECT_NEAR(average_path_length(256), 2 * (std::log(255.0) + 0.5772156649015329) - 2 * 255.0 / 256, 1e-12);
}

TEST(IsolationForest, IsolatesOutliersDeterministically) {
  RowMatrix x = plane_data(1000, 3);
  IForestConfig cfg;
  cfg.seed = 5;
  IsolationForest f = fit_isolation_forest(x, 0, x.rows(), cfg);
  ASSERT_EQ(f.trees.size(), 100u);
  EXPECT_EQ(f.sample_size, 256);
  std::vector<double> inlier(8, 0.0), outlier(8, 6.0);
  const double s_in = isolation_score(f, path_lengths(f, inlier.data()).mean);
  const double s_out = isolation_score(f, path_lengths(f, outlier.data()).mean);
  EXPECT_LT(s_in, 0.5);
  EXPECT_GT(s_out, 0.7);
  IsolationForest g = fit_isolation_forest(x, 0, x.rows(), cfg);
  EXPECT_EQ(f.trees[7].split, g.trees[7].split);
  cfg.seed = 6;
  EXPECT_NE(fit_isolation_forest(x, 0, x.rows(), cfg).trees[0].split, f.trees[0].split);
}

TEST(IsolationForest, ConstantAndNeighbouringValuesTerminate) {
  RowMatrix x(64, 2);
  for (int i = 0; i < 64; ++i) {
    x(i, 0) = 1.0;
    x(i, 1) = i % 2 ? 1.0 : std::nextafter(1.0, 2.0);  // two neighbouring doubles
  }
  IsolationForest f = fit_isolation_forest(x, 0, 64, IForestConfig{});
  for (const auto& t : f.trees)
    for (size_t n = 0; n < t.feature.size(); ++n)
      if (t.feature[n] >= 0) {
        EXPECT_EQ(t.feature[n], 1);
        EXPECT_GT(t.size[t.left[n]], 0);
        EXPECT_GT(t.size[t.right[n]], 0);
      }
}

TEST(Autoencoder, LearnsTheNormalSubspace) {
  RowMatrix x = plane_data(2000, 11);
  NetConfig cfg;
  cfg.hidden = {3};
  cfg.seed = 9;
  cfg.adam.learning_rate = 0.01;
  Mlp net = make_autoencoder(8, cfg);
  AdamState adam = make_adam(net);
  double first = train_autoencoder_epoch(net, adam, x, x.rows(), cfg, 0), last = first;
  for (int e = 1; e < 30; ++e) last = train_autoencoder_epoch(net, adam, x, x.rows(), cfg, e);
  EXPECT_LT(last, 0.2 * first);
  MlpTrace tr;
  RowMatrix probe = plane_data(1, 99);
  const double on_plane = reconstruction_error(net, probe.row(0).data(), tr, nullptr);
  std::vector<double> off(8);
  for (int j = 0; j < 8; ++j) off[j] = (j % 2 ? 1.0 : -1.0) * (j < 4 ? 1.5 : -1.5);
  const double off_plane = reconstruction_error(net, off.data(), tr, nullptr);
  EXPECT_GT(off_plane, 20 * on_plane);
}

TEST(Vae, TrainsAndReportsSpread) {
  RowMatrix x = plane_data(1500, 12);
  NetConfig cfg;
  cfg.hidden = {6};
  cfg.latent = 2;
  cfg.seed = 4;
  cfg.adam.learning_rate = 0.01;
  Vae v = make_vae(8, cfg);
  VaeAdam adam = make_vae_adam(v);
  double first = train_vae_epoch(v, adam, x, x.rows(), cfg, 0), last = first;
  for (int e = 1; e < 25; ++e) last = train_vae_epoch(v, adam, x, x.rows(), cfg, e);
  EXPECT_LT(last, 0.5 * first);
  VaeScratch s;
  std::vector<double> e1, e2;
  const double a = vae_score(v, x.row(3).data(), 1, 16, s, nullptr, e1);
  const double b = vae_score(v, x.row(3).data(), 1, 16, s, nullptr, e2);
  EXPECT_EQ(a, b);
  ASSERT_EQ(e1.size(), 16u);
  EXPECT_EQ(e1, e2);  // the samples depend on the input only
  double lo = e1[0], hi = e1[0];
  for (double e : e1) lo = std::fmin(lo, e), hi = std::fmax(hi, e);
  EXPECT_LT(lo, hi);
}

TEST(WindowFeatures, RollingStatisticsDeltasRatesAndGaps) {
  WindowSpec s{true, 3, true, true};
  EXPECT_EQ(features_per_column(s), 5);
  EXPECT_EQ(feature_names(s, {"a"}), (std::vector<std::string>{"a", "a.dev", "a.std", "a.delta", "a.rate"}));
  WindowState st = make_window_state(s, 1);
  std::vector<double> fill{100.0}, f(5);
  const double nan = std::nan("");
  push_row(s, fill, st, std::vector<double>{1}.data(), 0, f.data());
  EXPECT_EQ(f[0], 1);
  EXPECT_TRUE(std::isnan(f[1]) && std::isnan(f[2]) && std::isnan(f[3]) && std::isnan(f[4]));
  push_row(s, fill, st, std::vector<double>{3}.data(), 10, f.data());
  EXPECT_EQ(f[1], 2);  // 3 - mean{1}
  EXPECT_TRUE(std::isnan(f[2]));
  EXPECT_EQ(f[3], 2);
  EXPECT_EQ(f[4], 0.2);
  push_row(s, fill, st, std::vector<double>{5}.data(), 20, f.data());
  EXPECT_EQ(f[1], 3);  // 5 - mean{1, 3}
  EXPECT_EQ(f[2], 1);  // std{1, 3}
  const int filled = push_row(s, fill, st, std::vector<double>{nan}.data(), 30, f.data());
  EXPECT_EQ(filled, 1);
  EXPECT_EQ(f[0], 5);  // the gap repeats the last value
  EXPECT_EQ(f[1], 2);  // 5 - mean{1, 3, 5}
  push_row(s, fill, st, std::vector<double>{9}.data(), 30, f.data());  // same time: rate uses the last step
  EXPECT_EQ(f[1], 9 - 13.0 / 3);  // window now {3, 5, 5}
  EXPECT_EQ(f[4], 0.4);
  // A gap before any value takes the fill value.
  WindowState fresh = make_window_state(s, 1);
  push_row(s, fill, fresh, std::vector<double>{nan}.data(), nan, f.data());
  EXPECT_EQ(f[0], 100);
}

TEST(Calibration, QuantileAndMap) {
  EXPECT_EQ(quantile({3, 1, 2, 4}, 0.5), 2.5);
  EXPECT_EQ(quantile({1, 2, 3, 4, 5}, 1.0), 5);
  EXPECT_EQ(quantile({}, 0.9), 0);
  EXPECT_EQ(calibrate(2, 2), 0.5);
  EXPECT_NEAR(calibrate(18, 2), 0.9, 1e-15);
  EXPECT_EQ(calibrate(0, 2), 0);
}

TEST(Detector, FitScoresAndCalibratesEveryKind) {
  RowMatrix x = plane_data(600, 21);
  std::vector<std::string> cols;
  for (int j = 0; j < 8; ++j) cols.push_back("m" + std::to_string(j));
  for (DetectorKind k : {DetectorKind::Autoencoder, DetectorKind::Vae, DetectorKind::IsolationForest,
                         DetectorKind::RollingZ}) {
    FitConfig cfg;
    cfg.kind = k;
    cfg.window.window = 8;
    cfg.epochs = 8;
    cfg.net.hidden = default_hidden(k, 24);
    cfg.net.latent = 3;
    cfg.net.adam.learning_rate = 0.01;
    FitResult fit = fit_model(x, {}, cols, cfg, nullptr);
    const AnomalyModel& m = fit.model;
    EXPECT_EQ(m.train_rows, 480u);
    EXPECT_EQ(m.validation_rows, 120u);
    EXPECT_GT(m.q, 0);
    // Stream the validation rows again: about 0.5 % of them reach the threshold 0.5.
    StreamState st = make_stream_state(m);
    ScoreScratch s;
    size_t flagged = 0;
    double max_normal = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      RowScore r = score_row(m, st, x.row(i).data(), std::nan(""), s, nullptr);
      ASSERT_EQ(r.score, calibrate(r.raw, m.q));  // the score is the calibrated smoothed raw score
      ASSERT_GE(r.score, 0);
      ASSERT_LT(r.score, 1);
      if (i >= 480) flagged += r.score >= 0.5, max_normal = std::fmax(max_normal, r.score);
    }
    EXPECT_LE(flagged, 2u) << detector_name(k);
    std::vector<double> spike(8, 8.0);
    RowScore r = score_row(m, st, spike.data(), std::nan(""), s, nullptr);
    EXPECT_GT(r.score, max_normal) << detector_name(k);
    EXPECT_GE(r.score, 0.5) << detector_name(k);
    if (k == DetectorKind::Vae || k == DetectorKind::IsolationForest) EXPECT_GT(r.uncertainty, 0) << detector_name(k);
  }
}
