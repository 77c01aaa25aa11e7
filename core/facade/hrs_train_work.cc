#include "facade/hrs_train_work.h"

#include <set>
#include <string_view>

#include "hrs/lbfgs.h"
#include "util/work_budget.h"

namespace flk::hrs_io {
namespace {

// Training fits (folds + 1) x bags members, each a pass over the examples per tree level (gbt)
// or per L-BFGS iteration (logistic); a gbt model has bags x trees trees of up to 2^(depth+1)
// nodes, which must parse again within the JSON value budget. docs/limits.md.
constexpr uint64_t kMaxTrainWork = uint64_t{1} << 31;
constexpr uint64_t kMaxModelNodes = uint64_t{1} << 19;
// The bag-of-words model is refitted per fold, per inner fold and, for the per-set baseline, per
// fold and set: folds x (folds + sets) + 1 fits (the sub-model's folds x folds + 1 twice when it
// is pruned, TrainOptions::lexical_keep) of up to 100 L-BFGS iterations, each a sweep over
// the 2^lexical_bits weights and the rows. A set per example made this unbounded before.
constexpr uint64_t kMaxLexicalWork = uint64_t{1} << 31;
constexpr uint64_t kLexicalIterations = 100;

}  // namespace

Status check_train_work(const hrs::TrainOptions& opt, const std::vector<hrs::Example>& data, const char* work_path) {
  const size_t examples = data.size();
  std::set<std::string_view> sets;
  for (const hrs::Example& x : data) sets.insert(x.source);
  const uint64_t folds = static_cast<uint64_t>(opt.folds);
  const uint64_t pruned = opt.lexical_keep > 0 ? work::product({folds, folds}) + 1 : 0;
  const uint64_t fits = work::product({folds, folds + sets.size()}) + 1 + pruned;
  FLK_TRY(work::check(work::product({fits, kLexicalIterations, (uint64_t{1} << opt.lexical_bits) + examples}),
                      kMaxLexicalWork, "(folds x (folds + sets) + 1 + pruning refits) x 100 x (2^lexical_bits + examples)",
                      "$.examples"));
  const bool gbt = opt.kind == hrs::ModelKind::Gbt;
  const uint64_t passes = gbt ? work::product({static_cast<uint64_t>(opt.gbt.trees), static_cast<uint64_t>(opt.gbt.depth)})
                              : static_cast<uint64_t>(hrs::LbfgsOptions{}.max_iter);
  FLK_TRY(work::check(work::product({static_cast<uint64_t>(opt.folds) + 1, static_cast<uint64_t>(opt.bags), passes,
                                     examples}),
                      kMaxTrainWork, "(folds + 1) x bags x passes x examples", work_path));
  if (!gbt) return Ok{};
  return work::check(work::product({static_cast<uint64_t>(opt.bags), static_cast<uint64_t>(opt.gbt.trees),
                                    uint64_t{2} << opt.gbt.depth}),
                     kMaxModelNodes, "bags x trees x 2^(depth + 1) nodes", "$.trees");
}


}  // namespace flk::hrs_io
