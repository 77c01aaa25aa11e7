#include "hrs/lbfgs.h"

#include <vector>

namespace flk::hrs {

int lbfgs_minimize(const Objective& f, Eigen::VectorXd& w, const LbfgsOptions& opt) {
  const Eigen::Index d = w.size();
  Eigen::VectorXd g(d), g_new(d), dir(d), w_new(d);
  double fx = f(w, g);
  std::vector<Eigen::VectorXd> S, Y;
  std::vector<double> rho;
  int it = 0;
  for (; it < opt.max_iter; ++it) {
    if (g.cwiseAbs().maxCoeff() < opt.grad_tol) break;
    // Two-loop recursion: dir = -H g.
    dir = -g;
    std::vector<double> alpha(S.size());
    for (size_t k = S.size(); k-- > 0;) {
      alpha[k] = rho[k] * S[k].dot(dir);
      dir -= alpha[k] * Y[k];
    }
    if (!S.empty()) dir *= S.back().dot(Y.back()) / Y.back().dot(Y.back());
    for (size_t k = 0; k < S.size(); ++k) {
      double beta = rho[k] * Y[k].dot(dir);
      dir += (alpha[k] - beta) * S[k];
    }
    double slope = g.dot(dir);
    if (slope >= 0) {  // not a descent direction: restart from steepest descent
      S.clear(), Y.clear(), rho.clear();
      dir = -g;
      slope = -g.dot(g);
    }
    double step = 1, f_new = 0;
    bool accepted = false;
    for (int ls = 0; ls < 40; ++ls) {
      w_new = w + step * dir;
      f_new = f(w_new, g_new);
      if (f_new <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    Eigen::VectorXd s = w_new - w, y = g_new - g;
    double sy = s.dot(y);
    w.swap(w_new);
    g.swap(g_new);
    bool converged = fx - f_new <= opt.rel_tol * (1 + std::abs(fx));
    fx = f_new;
    if (sy > 1e-12) {
      if (static_cast<int>(S.size()) == opt.memory) {
        S.erase(S.begin()), Y.erase(Y.begin()), rho.erase(rho.begin());
      }
      S.push_back(std::move(s));
      Y.push_back(std::move(y));
      rho.push_back(1 / sy);
    }
    if (converged) {
      ++it;
      break;
    }
  }
  return it;
}

}  // namespace flk::hrs
