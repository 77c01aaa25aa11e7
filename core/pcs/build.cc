#include "pcs/build.h"

#include "pcs/canonical.h"
#include "pcs/merkle.h"
#include "signals/box_counts.h"
#include "signals/coherence.h"
#include "signals/compressibility.h"
#include "signals/regime_budget.h"
#include "signals/theil_sen.h"

namespace flk::pcs {

Result<Document> build(const Rows& rows, const BuildParams& p) {
  Document d;
  d.shard_id = p.shard_id;
  d.epoch = p.epoch;
  d.attempt = p.attempt;
  d.sent_at = p.sent_at;
  d.seed = p.seed;
  d.version = p.version;
  d.scales = p.scales;
  FLK_ASSIGN(auto counts, signals::box_counts(rows.points, p.scales));
  for (size_t i = 0; i < p.scales.size(); ++i) d.n_j.emplace_back(std::to_string(p.scales[i]), counts[i]);
  auto ts = signals::theil_sen(p.scales, counts);
  if (!ts.ok()) return make_error("out_of_range", "cannot compute D_hat: " + ts.error().message, "$.scales");
  d.d_hat = ts->d_hat;
  signals::Coherence coh = signals::coherence(rows.points, p.seed, p.directions, p.bins);
  d.coh_star = coh.coh_star;
  d.v_star = std::move(coh.v_star);
  std::string raw = rows.joined();
  d.r = signals::compressibility(raw);
  d.regime = signals::regime(d.d_hat, d.coh_star);
  d.budget = signals::budget(d.d_hat, d.coh_star, d.r);
  d.merkle_root = merkle_root(raw, p.chunk_size);
  d.pcs_id = pcs_id(d.merkle_root, d.epoch, d.shard_id);
  d.ft = FaultTolerance{};
  return d;
}

}  // namespace flk::pcs
