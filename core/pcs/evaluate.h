// The verification engine (spec §5.3): structure, D̂ recompute and tolerance, coh★ bounds,
// regime and budget consistency; the first failing check decides the verdict.
#pragma once
#include <optional>
#include <string>

#include "pcs/document.h"
#include "signals/regime_budget.h"

namespace flk::pcs {

struct VerifyParams {
  double tol_d = 0.15;
  double tol_coh = 0.05;
  double budget_tol = 0.01;
  signals::BudgetParams budget;
  signals::RegimeParams regime;
};

struct VerifyResult {
  bool accepted = false;
  bool escalated = false;
  std::string reason;  // empty when every check passed
  std::optional<double> recomputed_d_hat, recomputed_budget;
  // HTTP-style status: 200 accepted and not escalated, 202 every other engine outcome.
  int status() const { return accepted && !escalated ? 200 : 202; }
};

VerifyResult evaluate(const Document& d, const VerifyParams& p = {});

}  // namespace flk::pcs
