#include "signals/regime_budget.h"

#include <algorithm>

#include "util/decimal_round.h"

namespace flk::signals {

const char* regime(double d_hat, double coh_star, const RegimeParams& p) {
  if (coh_star >= p.sticky_coh && d_hat <= p.sticky_d) return "sticky";
  if (d_hat >= p.non_sticky_d) return "non_sticky";
  return "mixed";
}

bool is_regime(const std::string& s) { return s == "sticky" || s == "mixed" || s == "non_sticky"; }

double budget(double d_hat, double coh_star, double r, const BudgetParams& p) {
  double b = p.base + p.alpha * (1.0 - r) + p.beta * std::max(0.0, d_hat - p.d0) + p.gamma * coh_star;
  return round_exact(std::clamp(b, 0.0, 1.0), 9);
}

}  // namespace flk::signals
