#include "facade/anomaly_work.h"

#include <algorithm>

#include "util/work_budget.h"

namespace flk::anomaly_json {

using anomaly::DetectorKind;

uint64_t network_weights(const anomaly::Mlp& net) {
  uint64_t n = 0;
  for (const auto& l : net.layers) n += static_cast<uint64_t>(l.w.size() + l.b.size());
  return n;
}

DetectorShape shape_of(const anomaly::AnomalyModel& m) {
  DetectorShape d;
  d.kind = m.kind;
  d.weights = m.kind == DetectorKind::Vae ? network_weights(m.vae.encoder) + network_weights(m.vae.decoder)
                                          : network_weights(m.ae);
  d.vae_samples = static_cast<uint64_t>(m.vae_samples);
  d.trees = m.forest.trees.size();
  d.sample_size = static_cast<uint64_t>(m.forest.sample_size);
  d.columns = m.columns.size();
  d.features = static_cast<uint64_t>(anomaly::feature_count(m));
  d.window = static_cast<uint64_t>(m.window.window);
  return d;
}

uint64_t row_work(const DetectorShape& d) {
  uint64_t detector = 0;
  switch (d.kind) {
    case DetectorKind::Autoencoder: detector = d.weights; break;
    case DetectorKind::Vae: detector = work::product({d.weights, d.vae_samples + 1}); break;
    case DetectorKind::IsolationForest: {
      uint64_t height = 1;  // a path is at most ceil(log2 sample size) + 1 nodes long
      while ((uint64_t{1} << (height - 1)) < d.sample_size) ++height;
      detector = work::product({d.trees, height});
      break;
    }
    case DetectorKind::RollingZ: detector = d.features; break;
  }
  return detector + d.features + work::product({d.columns, d.window});
}

Status check_scoring(const DetectorShape& d, uint64_t rows, bool per_feature_output, const std::string& path) {
  FLK_TRY(work::check(work::product({rows, row_work(d)}), kMaxWork, "rows x work per row", path));
  if (per_feature_output)
    FLK_TRY(work::check(work::product({rows, d.features}), kMaxOutputValues, "rows x features written", path));
  return Ok{};
}

Status check_fit(const DetectorShape& d, uint64_t rows, uint64_t epochs, uint64_t batch_size) {
  // An epoch passes forward and back over every row and takes an optimizer step per batch over
  // every weight; a step costs about four rows (anomaly.fit on 2 rows spends two thirds of an
  // epoch in it), so few rows or small batches cannot train far past the budget.
  constexpr uint64_t kStepRows = 4;
  const uint64_t batches = (rows + batch_size - 1) / batch_size;
  if (d.kind == DetectorKind::Autoencoder || d.kind == DetectorKind::Vae)
    FLK_TRY(work::check(work::product({epochs, rows + kStepRows * batches, d.weights}), kMaxWork,
                        "epochs x (rows + 4 x batches) x weights", "$.epochs"));
  if (d.kind == DetectorKind::IsolationForest)
    FLK_TRY(work::check(work::product({d.trees, std::min(d.sample_size, rows)}), kMaxForestNodes,
                        "trees x sample_size", "$.trees"));
  return check_scoring(d, rows, false, "$.rows");
}

}  // namespace flk::anomaly_json
