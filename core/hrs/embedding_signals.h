// D̂ and coh★ of a set of answer embeddings (one row per sentence or token), in the
// evaluation-signal form of the PCS spec (§2.4): D̂ = number of principal components that
// reach 95 % of the variance, coh★ = mean pairwise cosine similarity clamped to [0, 1].
// Eigenvalues come from a cyclic Jacobi iteration on the n×n Gram matrix (only + - * / sqrt,
// so every build gets the same bits).
#pragma once
#include <vector>

namespace flk::hrs {

struct EmbeddingSignals {
  double dhat = 0;      // 0 when the rows have no variance (one row, or all equal)
  double coh_star = 1;  // 1 for a single row
};

// rows: n >= 1 rows of equal width d >= 1 (the facade checks shapes and bounds).
EmbeddingSignals embedding_signals(const std::vector<std::vector<double>>& rows);

// Eigenvalues of a symmetric matrix (row-major n×n), in descending order.
std::vector<double> symmetric_eigenvalues(std::vector<double> a, int n);

}  // namespace flk::hrs
