// A small fully connected network on Eigen storage, with backpropagation and Adam: the shared
// engine of the autoencoder and the VAE. Products are explicit loops that sum left to right
// (never Eigen's product kernels), so every build computes the same bits.
#pragma once
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "util/seeded_rng.h"

namespace flk::anomaly {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class Activation { Linear, Tanh, Relu };

const char* activation_name(Activation a);
bool parse_activation(const char* name, Activation& out);

struct DenseLayer {
  RowMatrix w;        // outputs x inputs
  Eigen::VectorXd b;  // outputs
  Activation act = Activation::Linear;
};

struct Mlp {
  std::vector<DenseLayer> layers;
  int inputs() const { return layers.empty() ? 0 : static_cast<int>(layers.front().w.cols()); }
  int outputs() const { return layers.empty() ? 0 : static_cast<int>(layers.back().w.rows()); }
};

// sizes = {inputs, hidden..., outputs}; hidden layers use `hidden`, the last layer `last`.
// Glorot-uniform weights from rng, zero biases.
Mlp make_mlp(const std::vector<int>& sizes, Activation hidden, Activation last, SeededRng& rng);

// Per-layer outputs of one forward pass, kept for backpropagation.
struct MlpTrace {
  std::vector<std::vector<double>> out;
};

// Forward pass of one vector; returns a pointer to the output (owned by trace).
const double* mlp_forward(const Mlp& net, const double* x, MlpTrace& trace);

// Parameter gradients with the shapes of a network.
struct MlpGrad {
  std::vector<RowMatrix> w;
  std::vector<Eigen::VectorXd> b;
};
MlpGrad zero_grad(const Mlp& net);
void clear_grad(MlpGrad& g);

// Adds the gradient of one example to g, given dL/d(output); writes dL/dx when dx != nullptr.
// `scratch` avoids allocations between calls.
void mlp_backward(const Mlp& net, const MlpTrace& trace, const double* x, const double* dout, MlpGrad& g, double* dx,
                  std::vector<double>& scratch_a, std::vector<double>& scratch_b);

struct AdamConfig {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

// Adam's moment estimates for one network, and the number of steps taken.
struct AdamState {
  int64_t step = 0;
  MlpGrad m, v;
};
AdamState make_adam(const Mlp& net);

// One Adam update with gradient g * grad_scale (e.g. 1 / batch size).
void adam_update(Mlp& net, const MlpGrad& g, double grad_scale, const AdamConfig& cfg, AdamState& st);

}  // namespace flk::anomaly
