// The per-tenant bandit over ensemble configurations (docs/ensemble.md, "Adaptive per tenant"):
// Thompson sampling with a Beta posterior per arm. Every draw comes from a generator seeded by
// SHA-256 of a key (the verification's request hash), so the same request picks the same arm in
// every build. A label turns into a reward in [0, 1] (a right decision minus its weighted cost)
// added as a fractional Bernoulli; a discount pulls every arm back towards the prior, so the
// state stays bounded and follows a tenant whose traffic changes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/seeded_rng.h"

namespace flk::ensemble {

constexpr size_t kMaxArms = 8;
constexpr double kMaxPosterior = 1e6;  // alpha and beta are clipped here (discount 1 would grow them forever)

struct ArmState {
  std::string name;
  double alpha = 1, beta = 1;  // Beta(1, 1) prior
  uint64_t pulls = 0;          // labelled decisions counted
  double cost_sum = 0;         // their normalised costs
};

struct Choice {
  size_t arm = 0;
  std::vector<double> draws;  // one Beta draw per arm, in arm order
};

// A draw from Beta(a, b), a, b > 0: Gamma(a) / (Gamma(a) + Gamma(b)), each Gamma by
// Marsaglia-Tsang on the generator's normals (shape < 1 boosted by U^(1/shape)).
double sample_beta(SeededRng& rng, double a, double b);

// The arm with the largest draw (ties: the first); arms non-empty.
Choice choose(const std::vector<ArmState>& arms, std::string_view key);

// min(cost / cost_scale, 1), cost >= 0, cost_scale > 0.
double normalised_cost(double cost, double cost_scale);

// 1 when the decision was right for the label (label 1 = hallucinated: escalated or rejected;
// label 0: accepted), minus cost_weight x the normalised cost, clipped to [0, 1].
double reward(bool right, double normalised_cost, double cost_weight);

// Every arm's alpha and beta move towards the prior by `discount` (1 + discount x (x - 1)),
// then the chosen arm gains alpha += r, beta += 1 - r, pulls + 1, cost_sum + its normalised cost.
void update(std::vector<ArmState>& arms, size_t arm, double r, double normalised_cost, double discount);

}  // namespace flk::ensemble
