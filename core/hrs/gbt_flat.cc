#include "hrs/gbt_flat.h"

namespace flk::hrs {
namespace {

// Depth of the subtree at node i (-1: deeper than kMaxFlatDepth below `level`, or a bad child).
int depth_of(const Tree& t, int32_t i, int level) {
  if (i < 0 || static_cast<size_t>(i) >= t.feature.size() || level > kMaxFlatDepth) return -1;
  if (t.feature[i] < 0) return 0;
  const int l = depth_of(t, t.left[i], level + 1), r = depth_of(t, t.right[i], level + 1);
  if (l < 0 || r < 0) return -1;
  return 1 + (l > r ? l : r);
}

// Writes node i of t at heap position p (level `level`) of a block of the given depth.
void place(const Tree& t, int32_t i, size_t p, int level, int depth, int32_t* feature, double* node) {
  if (t.feature[i] < 0) {
    const size_t below = size_t{1} << (depth - level);  // its leaves on the deepest level
    for (size_t k = (p + 1) * below - 1; k < (p + 2) * below - 1; ++k) node[k] = t.value[i];
    return;
  }
  feature[p] = t.feature[i];
  node[p] = t.threshold[i];
  place(t, t.left[i], 2 * p + 1, level + 1, depth, feature, node);
  place(t, t.right[i], 2 * p + 2, level + 1, depth, feature, node);
}

// The depth as a constant, so each tree's steps unroll.
template <int kDepth>
double sum_of(const FlatTrees& f, double base, const double* x) {
  constexpr size_t kSplits = (size_t{1} << kDepth) - 1;
  const int32_t* feature = f.feature.data();
  const double* node = f.node.data();
  double z = base;
  for (size_t k = 0; k < f.trees; ++k, feature += kSplits, node += 2 * kSplits + 1) {
    size_t n = 0;
    for (int d = 0; d < kDepth; ++d) n = 2 * n + 1 + !(x[feature[n]] < node[n]);  // NaN goes right
    z += node[n];
  }
  return z;
}

}  // namespace

FlatTrees flatten_trees(const std::vector<Tree>& trees) {
  FlatTrees f;
  int depth = 0;
  for (const Tree& t : trees) {
    const int d = depth_of(t, 0, 0);
    if (d < 0) return f;
    if (d > depth) depth = d;
  }
  const size_t splits = (size_t{1} << depth) - 1;
  f.trees = trees.size();
  f.feature.assign(f.trees * splits, 0);
  f.node.assign(f.trees * (2 * splits + 1), 0);
  for (size_t k = 0; k < f.trees; ++k)
    place(trees[k], 0, 0, 0, depth, f.feature.data() + k * splits, f.node.data() + k * (2 * splits + 1));
  f.depth = depth;
  return f;
}

double flat_trees_sum(const FlatTrees& f, double base, const double* x) {
  static_assert(kMaxFlatDepth == 6, "a case per depth");
  switch (f.depth) {
    case 0: return sum_of<0>(f, base, x);
    case 1: return sum_of<1>(f, base, x);
    case 2: return sum_of<2>(f, base, x);
    case 3: return sum_of<3>(f, base, x);
    case 4: return sum_of<4>(f, base, x);
    case 5: return sum_of<5>(f, base, x);
    default: return sum_of<6>(f, base, x);
  }
}

}  // namespace flk::hrs
