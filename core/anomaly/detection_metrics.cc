#include "anomaly/detection_metrics.h"

namespace flk::anomaly {
namespace {

Prf finish(size_t tp, size_t fp, size_t fn) {
  Prf r;
  r.tp = tp, r.fp = fp, r.fn = fn;
  r.precision = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
  r.recall = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
  return r;
}

Prf count(const std::vector<bool>& flagged, const std::vector<bool>& labels) {
  size_t tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (flagged[i] && labels[i]) ++tp;
    else if (flagged[i]) ++fp;
    else if (labels[i]) ++fn;
  }
  return finish(tp, fp, fn);
}

// Calls f(begin, end) for each maximal run of anomalous labels.
template <typename F>
void for_each_segment(const std::vector<bool>& labels, F f) {
  for (size_t i = 0; i < labels.size();) {
    if (!labels[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < labels.size() && labels[j]) ++j;
    f(i, j);
    i = j;
  }
}

bool any_flag(const std::vector<bool>& flagged, size_t b, size_t e) {
  for (size_t k = b; k < e; ++k)
    if (flagged[k]) return true;
  return false;
}

}  // namespace

Prf pointwise_prf(const std::vector<bool>& flagged, const std::vector<bool>& labels) { return count(flagged, labels); }

Prf point_adjusted_prf(const std::vector<bool>& flagged, const std::vector<bool>& labels) {
  std::vector<bool> adjusted = flagged;
  for_each_segment(labels, [&](size_t b, size_t e) {
    if (any_flag(flagged, b, e))
      for (size_t k = b; k < e; ++k) adjusted[k] = true;
  });
  return count(adjusted, labels);
}

SegmentHits segment_hits(const std::vector<bool>& flagged, const std::vector<bool>& labels) {
  SegmentHits h;
  for_each_segment(labels, [&](size_t b, size_t e) {
    ++h.segments;
    if (any_flag(flagged, b, e)) ++h.detected;
  });
  return h;
}

}  // namespace flk::anomaly
