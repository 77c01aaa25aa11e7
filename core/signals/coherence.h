// coh★: directional coherence (spec §2.3). For M random unit directions (numpy legacy
// Gaussians seeded with `seed`), project the points, histogram the projections into B bins
// with numpy's edge rules and take the largest bin's share; coh★ is the best share (9 dp),
// v★ the direction that first reached it.
#pragma once
#include <cstdint>
#include <vector>

namespace flk::signals {

struct Coherence {
  double coh_star;             // rounded to 9 dp
  std::vector<double> v_star;  // unit vector, unrounded
};

Coherence coherence(const std::vector<std::vector<double>>& points, int64_t seed, int directions = 100, int bins = 20);

}  // namespace flk::signals
