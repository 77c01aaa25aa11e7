// Dense autoencoder and variational autoencoder over standardised feature vectors, trained by
// mini-batch Adam. Both score the mean squared reconstruction error (in standardised units);
// the VAE also gives the spread of the errors of decoded latent samples as its uncertainty.
#pragma once
#include <cstdint>
#include <vector>

#include "anomaly/dense_net.h"

namespace flk::anomaly {

struct NetConfig {
  std::vector<int> hidden;  // AE: sizes between input and output, e.g. {3} for 8 -> 3 -> 8.
                            // VAE: encoder sizes before the latent layer (the decoder mirrors them).
  int latent = 2;           // VAE latent dimensions
  Activation activation = Activation::Tanh;
  int batch_size = 64;
  AdamConfig adam;
  double beta = 1.0;        // VAE: weight of the KL term
  uint64_t seed = 1;
};

// The order in which epoch `epoch` visits n rows: a Fisher-Yates shuffle seeded by (seed, epoch),
// so that training epoch by epoch in several calls equals training them in one.
std::vector<size_t> epoch_order(size_t n, uint64_t seed, int64_t epoch);

// ---- autoencoder ----
Mlp make_autoencoder(int inputs, const NetConfig& cfg);
// One epoch over rows [0, n) of z; returns the mean training loss (MSE).
double train_autoencoder_epoch(Mlp& net, AdamState& adam, const RowMatrix& z, Eigen::Index n, const NetConfig& cfg,
                               int64_t epoch);
// Mean squared reconstruction error; writes the residual z - reconstruction when residual != nullptr.
double reconstruction_error(const Mlp& net, const double* z, MlpTrace& trace, double* residual);

// ---- variational autoencoder ----
struct Vae {
  Mlp encoder;  // inputs -> hidden... -> 2 * latent (means, then log-variances)
  Mlp decoder;  // latent -> hidden reversed... -> inputs
  int latent = 0;
};
struct VaeAdam {
  AdamState encoder, decoder;
};

Vae make_vae(int inputs, const NetConfig& cfg);
VaeAdam make_vae_adam(const Vae& v);
// One epoch of the ELBO loss (0.5 squared error + beta KL, per feature); returns its mean.
double train_vae_epoch(Vae& v, VaeAdam& adam, const RowMatrix& z, Eigen::Index n, const NetConfig& cfg, int64_t epoch);

struct VaeScratch {
  MlpTrace enc, dec;
  std::vector<double> latent;
};
// Error of decoding the latent mean (the score); writes the residual when residual != nullptr.
// With samples > 0 also fills `errors` with the errors of that many decodings of
// z ~ N(mu, sigma^2), drawn from a generator seeded by seed and the bits of the input, so the
// same vector gets the same samples anywhere.
double vae_score(const Vae& v, const double* z, uint64_t seed, int samples, VaeScratch& s, double* residual,
                 std::vector<double>& errors);

}  // namespace flk::anomaly
