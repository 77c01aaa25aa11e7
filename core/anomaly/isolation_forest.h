// Isolation forest (Liu, Ting & Zhou 2008): random axis-parallel splits isolate outliers in
// few steps. Score s(x) = 2^(-E[h(x)] / c(psi)), where h is the path length (plus c(size) at
// a leaf that still holds several training points) and c(n) = 2 H(n-1) - 2 (n-1)/n is the
// average path length of an unsuccessful search in a binary search tree of n points.
#pragma once
#include <cstdint>
#include <vector>

#include "anomaly/dense_net.h"

namespace flk::anomaly {

struct IsolationTree {
  // Node arrays; node 0 is the root. A leaf has feature -1 and its training size in `size`.
  std::vector<int32_t> feature;
  std::vector<double> split;  // go left when x[feature] < split (mn < split <= mx of the node)
  std::vector<int32_t> left, right;
  std::vector<int32_t> size;
};

struct IsolationForest {
  int sample_size = 256;  // psi actually used (<= rows)
  std::vector<IsolationTree> trees;
};

struct IForestConfig {
  int trees = 100;
  int sample_size = 256;
  uint64_t seed = 1;
};

// c(n): the expected path length of n points; 0 for n <= 1.
double average_path_length(double n);

// Fits on rows [begin, end) of x (finite values). Height limit ceil(log2 psi).
IsolationForest fit_isolation_forest(const RowMatrix& x, Eigen::Index begin, Eigen::Index end,
                                     const IForestConfig& cfg);

struct PathStats {
  double mean = 0;  // E[h(x)] over trees
  double sd = 0;    // spread of h(x) over trees
};
PathStats path_lengths(const IsolationForest& f, const double* x);
// 2^(-E[h] / c(psi)).
double isolation_score(const IsolationForest& f, double mean_path);

}  // namespace flk::anomaly
