// N_j: occupied grid cells of a point cloud at each scale (spec §2.1). A scale s is a
// resolution: point p falls in cell floor(p_k * s) along every axis k.
#pragma once
#include <cstdint>
#include <vector>

#include "util/result.h"

namespace flk::signals {

using Points = std::vector<std::vector<double>>;

// Errors: out_of_range when |p_k * s| reaches 2^62 (cells no longer fit an integer).
Result<std::vector<int64_t>> box_counts(const Points& points, const std::vector<int64_t>& scales);

}  // namespace flk::signals
