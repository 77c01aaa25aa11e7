// Regime and budget from the (rounded) signals (spec §2.5, §2.6, §5.2).
#pragma once
#include <string>

namespace flk::signals {

struct BudgetParams {
  double base = 0.10, alpha = 0.30, beta = 0.50, gamma = 0.20, d0 = 2.2;
};

struct RegimeParams {
  double sticky_coh = 0.70, sticky_d = 1.5, non_sticky_d = 2.6;
};

// "sticky" | "mixed" | "non_sticky"
const char* regime(double d_hat, double coh_star, const RegimeParams& p = {});
bool is_regime(const std::string& s);

// base + α(1 − r) + β·max(0, D̂ − D0) + γ·coh★, clamped to [0, 1], 9 dp.
double budget(double d_hat, double coh_star, double r, const BudgetParams& p = {});

}  // namespace flk::signals
