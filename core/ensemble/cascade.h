// The adaptive cascade (docs/ensemble.md, "Cascade"): run the voters cheapest first and stop as
// soon as the N-of-M decision can no longer change, so costly voters run only when the cheap
// ones leave it open. The decision is always the one running every voter would give (a voter
// that is not run cannot fail either: its failure mode never applies).
#pragma once
#include <cstdint>
#include <vector>

#include "ensemble/combine.h"

namespace flk::ensemble {

// Whether the votes so far fix the N-of-M decision whatever `remaining` more voters say.
bool settled(const std::vector<Vote>& votes, int remaining, const Policy& p);

// Indices of the voters by modeled cost, cheapest first (ties keep their order).
std::vector<size_t> cheapest_first(const std::vector<uint64_t>& cost);

}  // namespace flk::ensemble
