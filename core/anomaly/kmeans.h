// Grouping anomalous vectors: k-means (Lloyd iterations) with k-means++ seeding from an
// explicit seed, human-readable labels from the features that deviate most in a centroid, and
// online assignment that opens a new cluster when a vector is far from every centroid.
// Vectors are per-feature deviations in standardised units (0 = the training mean).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "anomaly/dense_net.h"

namespace flk::anomaly {

struct KMeansConfig {
  int k = 5;
  uint64_t seed = 1;
  int max_iterations = 100;
};

struct KMeansResult {
  RowMatrix centroids;           // k x d
  std::vector<int> assignment;   // per vector
  std::vector<size_t> sizes;     // per cluster
  double inertia = 0;            // sum of squared distances to the assigned centroid
  int iterations = 0;
  bool converged = false;        // assignments stopped changing before max_iterations
};

// Precondition: 1 <= k <= x.rows(), all values finite.
KMeansResult kmeans(const RowMatrix& x, const KMeansConfig& cfg);

double squared_distance(const double* a, const double* b, int d);

// "high cpu_r, low mem_u": up to `top` features whose |centroid| is at least half the largest
// and at least min_deviation; "no dominant feature" when none is.
std::string cluster_label(const double* centroid, const std::vector<std::string>& names, int top,
                          double min_deviation);

// Nearest centroid; when its Euclidean distance exceeds new_distance (and fewer than
// max_clusters exist) the vector becomes a new cluster.
struct Assignment {
  int cluster = -1;
  double distance = 0;
  bool created = false;
};
Assignment assign_or_create(RowMatrix& centroids, std::vector<size_t>& sizes, const double* v, double new_distance,
                            int max_clusters);

}  // namespace flk::anomaly
