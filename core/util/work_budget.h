// The total work of an op, bounded before it starts. An op whose cost is a product of its
// input's sizes (epochs x rows x weights, trees x sample size, directions x points x dimensions,
// ...) checks that product against its budget, so no input within the per-field limits runs for
// minutes or allocates gigabytes, and every build refuses the same inputs (the products are
// integers). docs/limits.md lists each budget with the product it bounds.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include "util/result.h"

namespace flk::work {

// The product of the factors, saturating at UINT64_MAX.
uint64_t product(std::initializer_list<uint64_t> factors);

// too_large at `path` when units > limit; `what` names the product, e.g. "epochs x rows x weights".
Status check(uint64_t units, uint64_t limit, const std::string& what, const std::string& path);

}  // namespace flk::work
