// The trees of a gradient-boosted model laid out for scoring: each tree a complete binary tree
// of the model's greatest depth, one block per tree in one array. A tree is then `depth` steps
// of n = 2n + 1 + (x goes right), with no child index to load, and the default model's 400 trees
// (depth 4) are 123 KB read front to back instead of 302 KB in five arrays per tree. A leaf above
// the deepest level is copied to every leaf below it, so whichever way the split nodes under it
// send x (feature 0, threshold 0), the value is the same.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hrs/tree.h"

namespace flk::hrs {

constexpr int kMaxFlatDepth = 6;  // deeper trees (2^depth leaves each) are walked

struct FlatTrees {
  int depth = -1;  // -1: a tree deeper than kMaxFlatDepth or with a child out of range
  size_t trees = 0;
  std::vector<int32_t> feature;  // per tree 2^depth - 1 split features, heap order
  // Per tree 2^depth - 1 thresholds then 2^depth leaf values: heap node n >= 2^depth - 1 is a
  // leaf, and its value is at index n of the block.
  std::vector<double> node;
};

FlatTrees flatten_trees(const std::vector<Tree>& trees);

// base plus the trees' values at x, added in tree order (the walk's sum, bit for bit).
double flat_trees_sum(const FlatTrees& f, double base, const double* x);

}  // namespace flk::hrs
