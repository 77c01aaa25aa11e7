// Precision, recall and F1 of per-row anomaly flags against per-row labels, two ways:
//  - point-wise: every row counts on its own;
//  - point-adjusted (PA): a labelled segment (a maximal run of anomalous rows) counts as fully
//    detected when any row in it is flagged. PA is the convention of many papers and inflates
//    scores a lot (Garg et al. 2021: a random detector reaches F1-PA ~0.76 on SMD).
#pragma once
#include <cstddef>
#include <vector>

namespace flk::anomaly {

struct Prf {
  size_t tp = 0, fp = 0, fn = 0;
  double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (no flags / no positives)
};

Prf pointwise_prf(const std::vector<bool>& flagged, const std::vector<bool>& labels);
Prf point_adjusted_prf(const std::vector<bool>& flagged, const std::vector<bool>& labels);

// Number of labelled segments and how many of them have at least one flagged row.
struct SegmentHits {
  size_t segments = 0, detected = 0;
};
SegmentHits segment_hits(const std::vector<bool>& flagged, const std::vector<bool>& labels);

}  // namespace flk::anomaly
