// Limited-memory BFGS with a backtracking (Armijo) line search, for the smooth convex
// objectives of the HRS trainers. Deterministic: plain loops, no threads.
#pragma once
#include <functional>

#include <Eigen/Core>

namespace flk::hrs {

// Returns f(w) and writes its gradient into g.
using Objective = std::function<double(const Eigen::VectorXd& w, Eigen::VectorXd& g)>;

struct LbfgsOptions {
  int memory = 10;
  int max_iter = 300;
  double grad_tol = 1e-6;  // stop when ||g||_inf < grad_tol
  double rel_tol = 1e-12;  // or when an iteration lowers f by less than rel_tol * (1 + |f|)
};

// Minimises f from w (updated in place); returns the number of iterations used.
int lbfgs_minimize(const Objective& f, Eigen::VectorXd& w, const LbfgsOptions& opt = {});

}  // namespace flk::hrs
