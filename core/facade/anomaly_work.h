// Total-work bounds of the anomaly ops (docs/limits.md). Each field of a request is bounded on
// its own; these bound their products: the multiply-adds of a fit (epochs x (rows + 4 x batches) x weights), the
// nodes of a forest (trees x sample size), the work of scoring rows, and the values an op writes
// per row and feature. Units: one multiply-add, one tree node visited or one window value.
#pragma once
#include <cstdint>
#include <string>

#include "anomaly/detector.h"
#include "util/result.h"

namespace flk::anomaly_json {

constexpr uint64_t kMaxWork = uint64_t{1} << 32;
constexpr uint64_t kMaxForestNodes = uint64_t{1} << 18;
constexpr uint64_t kMaxOutputValues = uint64_t{1} << 22;

uint64_t network_weights(const anomaly::Mlp& net);

// The shape of a detector, fitted or about to be.
struct DetectorShape {
  anomaly::DetectorKind kind = anomaly::DetectorKind::Autoencoder;
  uint64_t weights = 0;      // ae: the network; vae: encoder plus decoder
  uint64_t vae_samples = 0;  // decodings per scored row
  uint64_t trees = 0, sample_size = 0;
  uint64_t columns = 0, features = 0, window = 0;
};
DetectorShape shape_of(const anomaly::AnomalyModel& m);

// Work to score one row: its window features plus the detector.
uint64_t row_work(const DetectorShape& d);

// Scoring `rows` rows (anomaly.score, the calibration of a fit): rows x row_work within kMaxWork,
// and rows x features within kMaxOutputValues when the answer has a value per feature.
Status check_scoring(const DetectorShape& d, uint64_t rows, bool per_feature_output, const std::string& path);

// A fit: the above for its calibration, epochs x (rows + 4 x batches) x weights (networks) within kMaxWork, and
// trees x sample size (forest) within kMaxForestNodes.
Status check_fit(const DetectorShape& d, uint64_t rows, uint64_t epochs, uint64_t batch_size);

}  // namespace flk::anomaly_json
