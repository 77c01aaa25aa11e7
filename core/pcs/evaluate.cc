#include "pcs/evaluate.h"

#include <cmath>

#include "json/number_format.h"
#include "pcs/canonical.h"
#include "signals/theil_sen.h"

namespace flk::pcs {
namespace {

VerifyResult fail(bool accepted, std::string reason) {
  VerifyResult r;
  r.accepted = accepted;
  r.escalated = true;
  r.reason = std::move(reason);
  return r;
}

std::string num(double x) { return json::format_double(x); }

std::string structure_problem(const Document& d) {
  if (d.pcs_id.empty()) return "pcs_id is empty";
  if (d.version.empty()) return "version is empty";
  if (d.shard_id.empty()) return "shard_id is empty";
  if (d.merkle_root.empty()) return "merkle_root is empty";
  if (d.schema != kSchema) return "schema must be \"" + std::string(kSchema) + "\"";
  if (d.epoch < 0) return "epoch is negative";
  if (d.scales.empty()) return "scales is empty";
  if (d.pcs_id != pcs_id(d.merkle_root, d.epoch, d.shard_id))
    return "pcs_id does not match SHA-256(merkle_root|epoch|shard_id)";
  return {};
}

}  // namespace

VerifyResult evaluate(const Document& d, const VerifyParams& p) {
  if (std::string why = structure_problem(d); !why.empty()) return fail(false, "validation failed: " + why);

  std::vector<int64_t> counts;
  for (int64_t s : d.scales) {
    std::string key = std::to_string(s);
    const std::pair<std::string, int64_t>* found = nullptr;
    for (const auto& e : d.n_j)
      if (e.first == key) found = &e;
    if (!found) return fail(false, "D_hat recomputation failed: N_j has no count for scale " + key);
    counts.push_back(found->second);
  }
  auto ts = signals::theil_sen(d.scales, counts);
  if (!ts.ok()) return fail(false, "D_hat recomputation failed: " + ts.error().message);
  double d_hat = ts->d_hat;

  VerifyResult r;
  r.recomputed_d_hat = d_hat;
  auto keep = [&](VerifyResult f) {
    f.recomputed_d_hat = d_hat;
    return f;
  };
  if (std::fabs(d.d_hat - d_hat) > p.tol_d)
    return keep(fail(false, "D_hat out of tolerance: claimed " + num(d.d_hat) + ", recomputed " + num(d_hat) +
                                ", tolerance " + num(p.tol_d)));
  if (d.coh_star < 0 || d.coh_star > 1 + p.tol_coh)
    return keep(fail(false, "coh_star out of bounds: " + num(d.coh_star) + " is outside [0, " + num(1 + p.tol_coh) + "]"));
  const char* expected = signals::regime(d.d_hat, d.coh_star, p.regime);
  if (d.regime != expected)
    return keep(fail(true, "regime mismatch: claimed " + d.regime + ", expected " + expected));
  double budget = signals::budget(d.d_hat, d.coh_star, d.r, p.budget);
  r.recomputed_budget = budget;
  if (std::fabs(d.budget - budget) > p.budget_tol) {
    VerifyResult f = keep(fail(true, "budget deviation: claimed " + num(d.budget) + ", recomputed " + num(budget) +
                                         ", tolerance " + num(p.budget_tol)));
    f.recomputed_budget = budget;
    return f;
  }
  r.accepted = true;
  return r;
}

}  // namespace flk::pcs
