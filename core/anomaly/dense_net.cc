#include "anomaly/dense_net.h"

#include <cstring>

#include "math/dmath.h"

namespace flk::anomaly {
namespace {

double activate(Activation a, double z) {
  switch (a) {
    case Activation::Tanh: return dm::tanh(z);
    case Activation::Relu: return z > 0 ? z : 0.0;
    case Activation::Linear: break;
  }
  return z;
}

// Derivative expressed through the activation's output y.
double derivative(Activation a, double y) {
  switch (a) {
    case Activation::Tanh: return 1.0 - y * y;
    case Activation::Relu: return y > 0 ? 1.0 : 0.0;
    case Activation::Linear: break;
  }
  return 1.0;
}

}  // namespace

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::Tanh: return "tanh";
    case Activation::Relu: return "relu";
    case Activation::Linear: break;
  }
  return "linear";
}

bool parse_activation(const char* name, Activation& out) {
  for (Activation a : {Activation::Linear, Activation::Tanh, Activation::Relu})
    if (!std::strcmp(name, activation_name(a))) {
      out = a;
      return true;
    }
  return false;
}

Mlp make_mlp(const std::vector<int>& sizes, Activation hidden, Activation last, SeededRng& rng) {
  Mlp net;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    DenseLayer layer;
    int in = sizes[l], out = sizes[l + 1];
    layer.w.resize(out, in);
    layer.b = Eigen::VectorXd::Zero(out);
    layer.act = l + 2 == sizes.size() ? last : hidden;
    double limit = dm::sqrt(6.0 / (in + out));
    for (int o = 0; o < out; ++o)
      for (int i = 0; i < in; ++i) layer.w(o, i) = (2.0 * rng.uniform() - 1.0) * limit;
    net.layers.push_back(std::move(layer));
  }
  return net;
}

const double* mlp_forward(const Mlp& net, const double* x, MlpTrace& trace) {
  trace.out.resize(net.layers.size());
  const double* in = x;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer& layer = net.layers[l];
    const int rows = static_cast<int>(layer.w.rows()), cols = static_cast<int>(layer.w.cols());
    std::vector<double>& out = trace.out[l];
    out.resize(rows);
    const double* w = layer.w.data();
    for (int o = 0; o < rows; ++o) {
      double s = layer.b[o];
      const double* wr = w + static_cast<size_t>(o) * cols;
      for (int i = 0; i < cols; ++i) s += wr[i] * in[i];
      out[o] = activate(layer.act, s);
    }
    in = out.data();
  }
  return in;
}

MlpGrad zero_grad(const Mlp& net) {
  MlpGrad g;
  for (const DenseLayer& l : net.layers) {
    g.w.push_back(RowMatrix::Zero(l.w.rows(), l.w.cols()));
    g.b.push_back(Eigen::VectorXd::Zero(l.b.size()));
  }
  return g;
}

void clear_grad(MlpGrad& g) {
  for (auto& w : g.w) w.setZero();
  for (auto& b : g.b) b.setZero();
}

void mlp_backward(const Mlp& net, const MlpTrace& trace, const double* x, const double* dout, MlpGrad& g, double* dx,
                  std::vector<double>& delta, std::vector<double>& next) {
  const int n_layers = static_cast<int>(net.layers.size());
  {
    const DenseLayer& top = net.layers.back();
    const std::vector<double>& y = trace.out.back();
    delta.resize(y.size());
    for (size_t o = 0; o < y.size(); ++o) delta[o] = dout[o] * derivative(top.act, y[o]);
  }
  for (int l = n_layers - 1; l >= 0; --l) {
    const DenseLayer& layer = net.layers[l];
    const int rows = static_cast<int>(layer.w.rows()), cols = static_cast<int>(layer.w.cols());
    const double* in = l == 0 ? x : trace.out[l - 1].data();
    double* gw = g.w[l].data();
    for (int o = 0; o < rows; ++o) {
      double d = delta[o];
      g.b[l][o] += d;
      double* gr = gw + static_cast<size_t>(o) * cols;
      for (int i = 0; i < cols; ++i) gr[i] += d * in[i];
    }
    if (l == 0 && !dx) break;
    next.assign(cols, 0.0);
    const double* w = layer.w.data();
    for (int o = 0; o < rows; ++o) {
      double d = delta[o];
      const double* wr = w + static_cast<size_t>(o) * cols;
      for (int i = 0; i < cols; ++i) next[i] += wr[i] * d;
    }
    if (l == 0) {
      for (int i = 0; i < cols; ++i) dx[i] = next[i];
      break;
    }
    const DenseLayer& below = net.layers[l - 1];
    const std::vector<double>& a = trace.out[l - 1];
    for (int i = 0; i < cols; ++i) next[i] *= derivative(below.act, a[i]);
    delta.swap(next);
  }
}

AdamState make_adam(const Mlp& net) {
  AdamState st;
  st.m = zero_grad(net);
  st.v = zero_grad(net);
  return st;
}

namespace {
template <typename P, typename G>
void adam_block(P& p, const G& g, G& m, G& v, double scale, const AdamConfig& c, double corr1, double corr2) {
  double* pd = p.data();
  const double* gd = g.data();
  double* md = m.data();
  double* vd = v.data();
  const Eigen::Index n = p.size();
  for (Eigen::Index i = 0; i < n; ++i) {
    double gi = gd[i] * scale;
    md[i] = c.beta1 * md[i] + (1.0 - c.beta1) * gi;
    vd[i] = c.beta2 * vd[i] + (1.0 - c.beta2) * gi * gi;
    double mh = md[i] / corr1, vh = vd[i] / corr2;
    pd[i] -= c.learning_rate * mh / (dm::sqrt(vh) + c.epsilon);
  }
}
}  // namespace

void adam_update(Mlp& net, const MlpGrad& g, double grad_scale, const AdamConfig& cfg, AdamState& st) {
  ++st.step;
  const double t = static_cast<double>(st.step);
  const double corr1 = 1.0 - dm::pow(cfg.beta1, t), corr2 = 1.0 - dm::pow(cfg.beta2, t);
  for (size_t l = 0; l < net.layers.size(); ++l) {
    adam_block(net.layers[l].w, g.w[l], st.m.w[l], st.v.w[l], grad_scale, cfg, corr1, corr2);
    adam_block(net.layers[l].b, g.b[l], st.m.b[l], st.v.b[l], grad_scale, cfg, corr1, corr2);
  }
}

}  // namespace flk::anomaly
