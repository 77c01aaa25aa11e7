// L2-regularised logistic regression, two shapes:
// - dense: a few dozen standardised features, fitted by Newton's method (Eigen LDLT);
// - sparse binary: hashed lexical buckets (a bag of words), fitted by L-BFGS.
// Objective: (1/W) sum_i w_i logloss_i + (l2/2) |beta|^2 (the bias is not penalised).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flk::hrs {

// Row-major n×d matrix of features.
struct Matrix {
  size_t rows = 0, cols = 0;
  std::vector<double> v;
  const double* row(size_t i) const { return v.data() + i * cols; }
  double* row(size_t i) { return v.data() + i * cols; }
};

struct LinearModel {
  std::vector<double> center, scale;  // x' = (x - center) / scale
  std::vector<double> weight;         // on x'
  double bias = 0;
};

// Logit of one row; contributions (optional, size d) receive weight_k * x'_k, so that
// logit = bias + sum(contributions) exactly up to the order of additions (left to right).
double linear_logit(const LinearModel& m, const double* x, double* contributions = nullptr);

LinearModel fit_dense_logistic(const Matrix& x, const std::vector<int>& y, const std::vector<double>& w,
                               double l2);

// One example of the sparse model: sorted, distinct bucket indices with value 1.
using Buckets = std::vector<uint32_t>;

struct SparseLinearModel {
  std::vector<double> weight;  // one per bucket
  double bias = 0;
};

double sparse_logit(const SparseLinearModel& m, const Buckets& b);

// start (optional): initial weights, e.g. a fit on overlapping data.
SparseLinearModel fit_sparse_logistic(const std::vector<const Buckets*>& x, size_t buckets,
                                      const std::vector<int>& y, const std::vector<double>& w, double l2,
                                      const SparseLinearModel* start = nullptr);

}  // namespace flk::hrs
