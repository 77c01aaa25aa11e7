#include "anomaly/isolation_forest.h"

#include <numeric>

#include "math/dmath.h"

namespace flk::anomaly {
namespace {

constexpr double kEulerGamma = 0.5772156649015329;

struct Builder {
  const RowMatrix& x;
  SeededRng& rng;
  int height_limit;
  IsolationTree& t;
  std::vector<Eigen::Index>& idx;
  std::vector<int> feats;

  int32_t leaf(size_t n) {
    t.feature.push_back(-1);
    t.split.push_back(0);
    t.left.push_back(-1);
    t.right.push_back(-1);
    t.size.push_back(static_cast<int32_t>(n));
    return static_cast<int32_t>(t.feature.size() - 1);
  }

  // Builds the subtree over idx[lo, hi) and returns its node index.
  int32_t build(size_t lo, size_t hi, int depth) {
    const size_t n = hi - lo;
    if (n <= 1 || depth >= height_limit) return leaf(n);
    // Draw features without replacement until one varies in this node (usually the first).
    const int d = static_cast<int>(x.cols());
    std::iota(feats.begin(), feats.end(), 0);
    for (int tried = 0; tried < d; ++tried) {
      int pick = tried + static_cast<int>(rng.below(static_cast<uint64_t>(d - tried)));
      std::swap(feats[tried], feats[pick]);
      const int q = feats[tried];
      double mn = x(idx[lo], q), mx = mn;
      for (size_t i = lo + 1; i < hi; ++i) {
        double v = x(idx[i], q);
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (!(mx > mn)) continue;
      // Uniform in (mn, mx]: both sides keep at least one point even when mn and mx are
      // neighbouring doubles.
      double p = mn + (mx - mn) * rng.uniform();
      if (!(p > mn) || p > mx) p = mx;
      // Stable partition keeps the order (and so the next draws) identical on every build.
      std::vector<Eigen::Index> l, r;
      for (size_t i = lo; i < hi; ++i) (x(idx[i], q) < p ? l : r).push_back(idx[i]);
      std::copy(l.begin(), l.end(), idx.begin() + lo);
      std::copy(r.begin(), r.end(), idx.begin() + lo + l.size());
      const size_t mid = lo + l.size();
      const int32_t node = leaf(0);
      t.feature[node] = q;
      t.split[node] = p;
      const int32_t a = build(lo, mid, depth + 1);
      const int32_t b = build(mid, hi, depth + 1);
      t.left[node] = a;
      t.right[node] = b;
      t.size[node] = static_cast<int32_t>(n);
      return node;
    }
    return leaf(n);  // every feature is constant here: duplicates
  }
};

}  // namespace

double average_path_length(double n) {
  if (n <= 1) return 0;
  if (n <= 2) return 1;
  return 2.0 * (dm::log(n - 1.0) + kEulerGamma) - 2.0 * (n - 1.0) / n;
}

IsolationForest fit_isolation_forest(const RowMatrix& x, Eigen::Index begin, Eigen::Index end,
                                     const IForestConfig& cfg) {
  IsolationForest f;
  const Eigen::Index rows = end - begin;
  f.sample_size = static_cast<int>(rows < cfg.sample_size ? rows : cfg.sample_size);
  int limit = 0;
  while ((int64_t{1} << limit) < f.sample_size) ++limit;
  SeededRng rng(cfg.seed);
  std::vector<Eigen::Index> pool(rows);
  std::vector<Eigen::Index> idx(f.sample_size);
  for (int t = 0; t < cfg.trees; ++t) {
    // A fresh subsample without replacement (partial Fisher-Yates over the row numbers).
    std::iota(pool.begin(), pool.end(), begin);
    for (int i = 0; i < f.sample_size; ++i) {
      uint64_t j = static_cast<uint64_t>(i) + rng.below(static_cast<uint64_t>(rows - i));
      std::swap(pool[i], pool[j]);
      idx[i] = pool[i];
    }
    IsolationTree tree;
    Builder b{x, rng, limit, tree, idx, std::vector<int>(x.cols())};
    b.build(0, idx.size(), 0);
    f.trees.push_back(std::move(tree));
  }
  return f;
}

PathStats path_lengths(const IsolationForest& f, const double* x) {
  PathStats s;
  const size_t n = f.trees.size();
  if (n == 0) return s;
  double sum = 0, sum_sq = 0;
  for (const IsolationTree& t : f.trees) {
    int32_t node = 0;
    double h = 0;
    while (t.feature[node] >= 0) {
      node = x[t.feature[node]] < t.split[node] ? t.left[node] : t.right[node];
      h += 1;
    }
    h += average_path_length(t.size[node]);
    sum += h;
    sum_sq += h * h;
  }
  s.mean = sum / static_cast<double>(n);
  double var = sum_sq / static_cast<double>(n) - s.mean * s.mean;
  s.sd = var > 0 ? dm::sqrt(var) : 0.0;
  return s;
}

double isolation_score(const IsolationForest& f, double mean_path) {
  double c = average_path_length(f.sample_size);
  if (c <= 0) return 0.5;
  return dm::exp(-mean_path / c * 0.6931471805599453);
}

}  // namespace flk::anomaly
