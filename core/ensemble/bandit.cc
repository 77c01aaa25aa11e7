#include "ensemble/bandit.h"

#include <algorithm>

#include "crypto/hash.h"
#include "math/dmath.h"

namespace flk::ensemble {
namespace {

// Marsaglia and Tsang (2000) for shape >= 1; the acceptance rate is above 95 %, so the bound on
// rounds is never the answer in practice, only a guarantee that a draw ends.
double sample_gamma(SeededRng& rng, double shape) {
  if (shape < 1) {
    const double u = rng.uniform();
    return sample_gamma(rng, shape + 1) * dm::pow(u, 1 / shape);
  }
  const double d = shape - 1.0 / 3, c = 1 / dm::sqrt(9 * d);
  for (int round = 0; round < 256; ++round) {
    const double x = rng.normal();
    double v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = rng.uniform();
    if (u < 1 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (u > 0 && dm::log(u) < 0.5 * x * x + d * (1 - v + dm::log(v))) return d * v;
  }
  return d;
}

uint64_t seed_of(std::string_view key) {
  const crypto::Digest h = crypto::sha256(key);
  uint64_t s = 0;
  for (int i = 0; i < 8; ++i) s = (s << 8) | h[i];
  return s;
}

double toward_prior(double x, double discount) { return 1 + discount * (x - 1); }

}  // namespace

double sample_beta(SeededRng& rng, double a, double b) {
  const double x = sample_gamma(rng, a), y = sample_gamma(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

Choice choose(const std::vector<ArmState>& arms, std::string_view key) {
  SeededRng rng(seed_of(key));
  Choice c;
  for (size_t i = 0; i < arms.size(); ++i) {
    c.draws.push_back(sample_beta(rng, arms[i].alpha, arms[i].beta));
    if (c.draws[i] > c.draws[c.arm]) c.arm = i;
  }
  return c;
}

double normalised_cost(double cost, double cost_scale) { return std::min(cost / cost_scale, 1.0); }

double reward(bool right, double normalised_cost, double cost_weight) {
  return std::clamp((right ? 1.0 : 0.0) - cost_weight * normalised_cost, 0.0, 1.0);
}

void update(std::vector<ArmState>& arms, size_t arm, double r, double normalised_cost, double discount) {
  for (ArmState& a : arms) {
    a.alpha = toward_prior(a.alpha, discount);
    a.beta = toward_prior(a.beta, discount);
  }
  ArmState& a = arms[arm];
  a.alpha = std::min(a.alpha + r, kMaxPosterior);
  a.beta = std::min(a.beta + (1 - r), kMaxPosterior);
  a.pulls += 1;
  a.cost_sum += normalised_cost;
}

}  // namespace flk::ensemble
