#include "anomaly/kmeans.h"

#include <cmath>

#include "math/dmath.h"
#include "util/seeded_rng.h"

namespace flk::anomaly {

double squared_distance(const double* a, const double* b, int d) {
  double s = 0;
  for (int j = 0; j < d; ++j) {
    double e = a[j] - b[j];
    s += e * e;
  }
  return s;
}

namespace {

// k-means++: the first centre uniformly, each next one with probability proportional to the
// squared distance to the nearest centre chosen so far.
RowMatrix seed_centroids(const RowMatrix& x, int k, SeededRng& rng) {
  const Eigen::Index n = x.rows();
  const int d = static_cast<int>(x.cols());
  RowMatrix c(k, d);
  c.row(0) = x.row(static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n))));
  std::vector<double> nearest(n);
  for (Eigen::Index i = 0; i < n; ++i) nearest[i] = squared_distance(x.row(i).data(), c.row(0).data(), d);
  for (int m = 1; m < k; ++m) {
    double total = 0;
    for (double v : nearest) total += v;
    Eigen::Index pick = 0;
    if (total > 0) {
      double target = rng.uniform() * total, acc = 0;
      pick = n - 1;
      for (Eigen::Index i = 0; i < n; ++i) {
        acc += nearest[i];
        if (nearest[i] > 0 && acc > target) {
          pick = i;
          break;
        }
      }
    } else {
      pick = static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n)));  // all points coincide
    }
    c.row(m) = x.row(pick);
    for (Eigen::Index i = 0; i < n; ++i) {
      double dist = squared_distance(x.row(i).data(), c.row(m).data(), d);
      if (dist < nearest[i]) nearest[i] = dist;
    }
  }
  return c;
}

int nearest_centroid(const RowMatrix& c, const double* v, double& best) {
  const int d = static_cast<int>(c.cols());
  int arg = -1;
  for (Eigen::Index m = 0; m < c.rows(); ++m) {
    double dist = squared_distance(v, c.row(m).data(), d);
    if (arg < 0 || dist < best) {
      best = dist;
      arg = static_cast<int>(m);
    }
  }
  return arg;
}

}  // namespace

KMeansResult kmeans(const RowMatrix& x, const KMeansConfig& cfg) {
  const Eigen::Index n = x.rows();
  const int d = static_cast<int>(x.cols()), k = cfg.k;
  SeededRng rng(cfg.seed);
  KMeansResult r;
  r.centroids = seed_centroids(x, k, rng);
  r.assignment.assign(n, -1);
  std::vector<double> dist(n, 0.0);
  for (r.iterations = 1; r.iterations <= cfg.max_iterations; ++r.iterations) {
    bool changed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      int a = nearest_centroid(r.centroids, x.row(i).data(), dist[i]);
      if (a != r.assignment[i]) changed = true;
      r.assignment[i] = a;
    }
    if (!changed) {
      r.converged = true;
      break;
    }
    // Update step; an emptied cluster restarts at the point farthest from its centroid.
    RowMatrix sum = RowMatrix::Zero(k, d);
    r.sizes.assign(k, 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      double* s = sum.row(r.assignment[i]).data();
      const double* v = x.row(i).data();
      for (int j = 0; j < d; ++j) s[j] += v[j];
      ++r.sizes[r.assignment[i]];
    }
    for (int m = 0; m < k; ++m) {
      if (r.sizes[m] > 0) {
        for (int j = 0; j < d; ++j) r.centroids(m, j) = sum(m, j) / static_cast<double>(r.sizes[m]);
        continue;
      }
      Eigen::Index far = 0;
      for (Eigen::Index i = 1; i < n; ++i)
        if (dist[i] > dist[far]) far = i;
      r.centroids.row(m) = x.row(far);
      dist[far] = 0;
    }
  }
  if (r.iterations > cfg.max_iterations) r.iterations = cfg.max_iterations;
  r.sizes.assign(k, 0);
  r.inertia = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    ++r.sizes[r.assignment[i]];
    r.inertia += squared_distance(x.row(i).data(), r.centroids.row(r.assignment[i]).data(), d);
  }
  return r;
}

std::string cluster_label(const double* centroid, const std::vector<std::string>& names, int top,
                          double min_deviation) {
  const int d = static_cast<int>(names.size());
  double largest = 0;
  for (int j = 0; j < d; ++j) largest = std::fmax(largest, std::fabs(centroid[j]));
  std::vector<bool> used(d, false);
  std::string label;
  for (int t = 0; t < top; ++t) {
    int arg = -1;
    for (int j = 0; j < d; ++j)
      if (!used[j] && (arg < 0 || std::fabs(centroid[j]) > std::fabs(centroid[arg]))) arg = j;
    if (arg < 0) break;
    const double dev = std::fabs(centroid[arg]);
    if (dev < min_deviation || dev < 0.5 * largest) break;
    used[arg] = true;
    if (!label.empty()) label += ", ";
    label += (centroid[arg] > 0 ? "high " : "low ") + names[arg];
  }
  return label.empty() ? "no dominant feature" : label;
}

Assignment assign_or_create(RowMatrix& centroids, std::vector<size_t>& sizes, const double* v, double new_distance,
                            int max_clusters) {
  Assignment a;
  double best = 0;
  a.cluster = nearest_centroid(centroids, v, best);
  a.distance = a.cluster >= 0 ? dm::sqrt(best) : 0.0;
  if (a.cluster >= 0 && (a.distance <= new_distance || centroids.rows() >= max_clusters)) {
    ++sizes[a.cluster];
    return a;
  }
  const Eigen::Index d = centroids.cols(), m = centroids.rows();
  centroids.conservativeResize(m + 1, d);
  for (Eigen::Index j = 0; j < d; ++j) centroids(m, j) = v[j];
  sizes.push_back(1);
  a.cluster = static_cast<int>(m);
  a.created = true;
  return a;
}

}  // namespace flk::anomaly
