#include "hrs/logistic.h"

#include <Eigen/Dense>
#include <cmath>

#include "hrs/lbfgs.h"
#include "math/dmath.h"

namespace flk::hrs {
namespace {

// log(1 + e^z) - y z: the logistic loss of logit z for label y.
double logloss(double z, int y) { return dm::log1p_exp(z) - (y ? z : 0.0); }

}  // namespace

double linear_logit(const LinearModel& m, const double* x, double* contributions) {
  double z = m.bias;
  for (size_t k = 0; k < m.weight.size(); ++k) {
    double c = m.weight[k] * ((x[k] - m.center[k]) / m.scale[k]);
    if (contributions) contributions[k] = c;
    z += c;
  }
  return z;
}

LinearModel fit_dense_logistic(const Matrix& x, const std::vector<int>& y, const std::vector<double>& w,
                               double l2) {
  const size_t n = x.rows, d = x.cols;
  LinearModel m;
  m.center.assign(d, 0);
  m.scale.assign(d, 1);
  m.weight.assign(d, 0);
  double wsum = 0, wpos = 0;
  for (size_t i = 0; i < n; ++i) {
    wsum += w[i];
    wpos += w[i] * y[i];
  }
  if (wsum <= 0) return m;  // no rows, no evidence: every weight 0 (logit 0), not a 0/0 centre
  for (size_t k = 0; k < d; ++k) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += w[i] * x.row(i)[k];
    m.center[k] = s / wsum;
    double ss = 0;
    for (size_t i = 0; i < n; ++i) {
      double dv = x.row(i)[k] - m.center[k];
      ss += w[i] * dv * dv;
    }
    double sd = std::sqrt(ss / wsum);
    m.scale[k] = sd > 1e-12 ? sd : 1;
  }
  // Standardised design with a leading bias column; constant features keep weight 0.
  const size_t p = d + 1;
  std::vector<double> z(n * p);
  for (size_t i = 0; i < n; ++i) {
    z[i * p] = 1;
    for (size_t k = 0; k < d; ++k) z[i * p + 1 + k] = (x.row(i)[k] - m.center[k]) / m.scale[k];
  }
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  double prior = (wpos + 0.5) / (wsum + 1);
  beta[0] = dm::log(prior / (1 - prior));
  auto objective = [&](const Eigen::VectorXd& b) {
    double f = 0;
    for (size_t i = 0; i < n; ++i) {
      double zi = 0;
      for (size_t k = 0; k < p; ++k) zi += z[i * p + k] * b[k];
      f += w[i] * logloss(zi, y[i]);
    }
    double pen = 0;
    for (size_t k = 1; k < p; ++k) pen += b[k] * b[k];
    return f / wsum + 0.5 * l2 * pen;
  };
  double f = objective(beta);
  for (int it = 0; it < 50; ++it) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(p);
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(p, p);
    for (size_t i = 0; i < n; ++i) {
      const double* zi = &z[i * p];
      double s = 0;
      for (size_t k = 0; k < p; ++k) s += zi[k] * beta[k];
      double pi = dm::sigmoid(s);
      double r = w[i] * (pi - y[i]) / wsum, q = w[i] * pi * (1 - pi) / wsum;
      for (size_t j = 0; j < p; ++j) {
        g[j] += r * zi[j];
        for (size_t k = 0; k <= j; ++k) h(j, k) += q * zi[j] * zi[k];
      }
    }
    for (size_t j = 0; j < p; ++j)
      for (size_t k = 0; k < j; ++k) h(k, j) = h(j, k);
    for (size_t k = 1; k < p; ++k) {
      g[k] += l2 * beta[k];
      h(k, k) += l2;
    }
    h(0, 0) += 1e-10;
    Eigen::VectorXd step = h.ldlt().solve(g);
    double t = 1, f_new = f;
    Eigen::VectorXd cand;
    for (int ls = 0; ls < 30; ++ls, t *= 0.5) {
      cand = beta - t * step;
      f_new = objective(cand);
      if (f_new <= f) break;
    }
    if (!(f_new <= f)) break;
    beta = cand;
    bool done = f - f_new < 1e-12;
    f = f_new;
    if (done) break;
  }
  m.bias = beta[0];
  for (size_t k = 0; k < d; ++k) m.weight[k] = beta[1 + k];
  return m;
}

double sparse_logit(const SparseLinearModel& m, const Buckets& b) {
  double z = m.bias;
  for (uint32_t k : b) z += m.weight[k];
  return z;
}

SparseLinearModel fit_sparse_logistic(const std::vector<const Buckets*>& x, size_t buckets,
                                      const std::vector<int>& y, const std::vector<double>& w, double l2,
                                      const SparseLinearModel* start) {
  const size_t n = x.size();
  // Compressed rows, so one pass over the data is one sweep through two arrays.
  std::vector<uint32_t> offset{0}, index;
  for (const Buckets* b : x) {
    index.insert(index.end(), b->begin(), b->end());
    offset.push_back(static_cast<uint32_t>(index.size()));
  }
  double wsum = 0, wpos = 0;
  for (size_t i = 0; i < n; ++i) {
    wsum += w[i];
    wpos += w[i] * y[i];
  }
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(buckets + 1);  // [bias, weights...]
  double prior = (wpos + 0.5) / (wsum + 1);
  beta[0] = dm::log(prior / (1 - prior));
  if (start) {
    beta[0] = start->bias;
    for (size_t k = 0; k < buckets; ++k) beta[1 + k] = start->weight[k];
  }
  Objective f = [&](const Eigen::VectorXd& b, Eigen::VectorXd& g) {
    g.setZero(b.size());
    const double* bw = b.data() + 1;
    double* gw = g.data() + 1;
    double loss = 0;
    for (size_t i = 0; i < n; ++i) {
      double z = b[0];
      for (uint32_t j = offset[i]; j < offset[i + 1]; ++j) z += bw[index[j]];
      // One exponential per row: e = exp(-|z|) gives both the loss and the sigmoid.
      double e = dm::exp(-std::fabs(z));
      double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      loss += w[i] * ((z > 0 ? z : 0) + dm::log(1 + e) - (y[i] ? z : 0.0));
      double r = w[i] * (p - y[i]) / wsum;
      g[0] += r;
      for (uint32_t j = offset[i]; j < offset[i + 1]; ++j) gw[index[j]] += r;
    }
    double pen = 0;
    for (Eigen::Index k = 1; k < b.size(); ++k) {
      pen += b[k] * b[k];
      g[k] += l2 * b[k];
    }
    return loss / wsum + 0.5 * l2 * pen;
  };
  LbfgsOptions opt;
  opt.grad_tol = 1e-6;
  opt.max_iter = 100;
  opt.rel_tol = 1e-6;
  lbfgs_minimize(f, beta, opt);
  SparseLinearModel m;
  m.bias = beta[0];
  m.weight.assign(beta.data() + 1, beta.data() + beta.size());
  return m;
}

}  // namespace flk::hrs
