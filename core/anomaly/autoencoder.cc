#include "anomaly/autoencoder.h"

#include <cstring>

#include "math/dmath.h"

namespace flk::anomaly {
namespace {

// Log-variances are clamped to keep exp() finite while a VAE is still untrained.
constexpr double kMaxLogVar = 10.0;

double clamp_logvar(double lv) { return lv > kMaxLogVar ? kMaxLogVar : (lv < -kMaxLogVar ? -kMaxLogVar : lv); }

uint64_t bits_of(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

}  // namespace

std::vector<size_t> epoch_order(size_t n, uint64_t seed, int64_t epoch) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  SeededRng rng(mix_seed(seed, static_cast<uint64_t>(epoch)));
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

Mlp make_autoencoder(int inputs, const NetConfig& cfg) {
  std::vector<int> sizes{inputs};
  sizes.insert(sizes.end(), cfg.hidden.begin(), cfg.hidden.end());
  sizes.push_back(inputs);
  SeededRng rng(cfg.seed);
  return make_mlp(sizes, cfg.activation, Activation::Linear, rng);
}

double reconstruction_error(const Mlp& net, const double* z, MlpTrace& trace, double* residual) {
  const double* y = mlp_forward(net, z, trace);
  const int d = net.inputs();
  double s = 0;
  for (int j = 0; j < d; ++j) {
    double e = z[j] - y[j];
    if (residual) residual[j] = e;
    s += e * e;
  }
  return s / d;
}

double train_autoencoder_epoch(Mlp& net, AdamState& adam, const RowMatrix& z, Eigen::Index n, const NetConfig& cfg,
                               int64_t epoch) {
  const int d = net.inputs();
  const std::vector<size_t> order = epoch_order(static_cast<size_t>(n), cfg.seed, epoch);
  MlpGrad g = zero_grad(net);
  MlpTrace trace;
  std::vector<double> dout(d), sa, sb;
  double total = 0;
  for (size_t start = 0; start < order.size(); start += cfg.batch_size) {
    const size_t end = std::min(order.size(), start + static_cast<size_t>(cfg.batch_size));
    clear_grad(g);
    for (size_t k = start; k < end; ++k) {
      const double* x = z.row(static_cast<Eigen::Index>(order[k])).data();
      const double* y = mlp_forward(net, x, trace);
      double loss = 0;
      for (int j = 0; j < d; ++j) {
        double e = y[j] - x[j];
        loss += e * e;
        dout[j] = 2.0 * e / d;
      }
      total += loss / d;
      mlp_backward(net, trace, x, dout.data(), g, nullptr, sa, sb);
    }
    adam_update(net, g, 1.0 / static_cast<double>(end - start), cfg.adam, adam);
  }
  return order.empty() ? 0.0 : total / static_cast<double>(order.size());
}

Vae make_vae(int inputs, const NetConfig& cfg) {
  Vae v;
  v.latent = cfg.latent;
  SeededRng rng(cfg.seed);
  std::vector<int> enc{inputs};
  enc.insert(enc.end(), cfg.hidden.begin(), cfg.hidden.end());
  enc.push_back(2 * cfg.latent);
  std::vector<int> dec{cfg.latent};
  dec.insert(dec.end(), cfg.hidden.rbegin(), cfg.hidden.rend());
  dec.push_back(inputs);
  v.encoder = make_mlp(enc, cfg.activation, Activation::Linear, rng);
  v.decoder = make_mlp(dec, cfg.activation, Activation::Linear, rng);
  return v;
}

VaeAdam make_vae_adam(const Vae& v) { return {make_adam(v.encoder), make_adam(v.decoder)}; }

double train_vae_epoch(Vae& v, VaeAdam& adam, const RowMatrix& z, Eigen::Index n, const NetConfig& cfg, int64_t epoch) {
  const int d = v.encoder.inputs(), k = v.latent;
  const std::vector<size_t> order = epoch_order(static_cast<size_t>(n), cfg.seed, epoch);
  // Noise for the reparameterisation comes from its own stream, also keyed by the epoch.
  SeededRng noise(mix_seed(cfg.seed ^ 0x5641455F4E4F4953ull, static_cast<uint64_t>(epoch)));
  MlpGrad ge = zero_grad(v.encoder), gd = zero_grad(v.decoder);
  MlpTrace te, td;
  std::vector<double> eps(k), lat(k), dx(d), dz(k), denc(2 * k), sa, sb;
  const double inv_d = 1.0 / d;
  double total = 0;
  for (size_t start = 0; start < order.size(); start += cfg.batch_size) {
    const size_t end = std::min(order.size(), start + static_cast<size_t>(cfg.batch_size));
    clear_grad(ge);
    clear_grad(gd);
    for (size_t r = start; r < end; ++r) {
      const double* x = z.row(static_cast<Eigen::Index>(order[r])).data();
      const double* h = mlp_forward(v.encoder, x, te);
      double kl = 0;
      for (int i = 0; i < k; ++i) {
        const double mu = h[i], lv = clamp_logvar(h[k + i]);
        eps[i] = noise.normal();
        lat[i] = mu + dm::exp(0.5 * lv) * eps[i];
        kl += mu * mu + dm::exp(lv) - 1.0 - lv;
      }
      kl *= 0.5;
      const double* y = mlp_forward(v.decoder, lat.data(), td);
      double sq = 0;
      for (int j = 0; j < d; ++j) {
        double e = y[j] - x[j];
        sq += e * e;
        dx[j] = e * inv_d;
      }
      total += (0.5 * sq + cfg.beta * kl) * inv_d;
      mlp_backward(v.decoder, td, lat.data(), dx.data(), gd, dz.data(), sa, sb);
      for (int i = 0; i < k; ++i) {
        const double mu = h[i], raw_lv = h[k + i], lv = clamp_logvar(raw_lv);
        denc[i] = dz[i] + cfg.beta * mu * inv_d;
        const double inside = raw_lv == lv ? 1.0 : 0.0;
        denc[k + i] = inside * (dz[i] * eps[i] * 0.5 * dm::exp(0.5 * lv) + cfg.beta * 0.5 * (dm::exp(lv) - 1.0) * inv_d);
      }
      mlp_backward(v.encoder, te, x, denc.data(), ge, nullptr, sa, sb);
    }
    const double scale = 1.0 / static_cast<double>(end - start);
    adam_update(v.encoder, ge, scale, cfg.adam, adam.encoder);
    adam_update(v.decoder, gd, scale, cfg.adam, adam.decoder);
  }
  return order.empty() ? 0.0 : total / static_cast<double>(order.size());
}

double vae_score(const Vae& v, const double* z, uint64_t seed, int samples, VaeScratch& s, double* residual,
                 std::vector<double>& errors) {
  const int d = v.encoder.inputs(), k = v.latent;
  const double* h = mlp_forward(v.encoder, z, s.enc);
  s.latent.assign(h, h + k);
  const double* y = mlp_forward(v.decoder, s.latent.data(), s.dec);
  double sq = 0;
  for (int j = 0; j < d; ++j) {
    double e = z[j] - y[j];
    if (residual) residual[j] = e;
    sq += e * e;
  }
  errors.clear();
  if (samples <= 0) return sq / d;
  uint64_t h_seed = seed;
  for (int j = 0; j < d; ++j) h_seed = mix_seed(h_seed, bits_of(z[j]));
  SeededRng rng(h_seed);
  std::vector<double> sd(k);
  for (int i = 0; i < k; ++i) sd[i] = dm::exp(0.5 * clamp_logvar(h[k + i]));
  const std::vector<double> mu(h, h + k);
  for (int m = 0; m < samples; ++m) {
    for (int i = 0; i < k; ++i) s.latent[i] = mu[i] + sd[i] * rng.normal();
    const double* ys = mlp_forward(v.decoder, s.latent.data(), s.dec);
    double e2 = 0;
    for (int j = 0; j < d; ++j) {
      double e = z[j] - ys[j];
      e2 += e * e;
    }
    errors.push_back(e2 / d);
  }
  return sq / d;
}

}  // namespace flk::anomaly
