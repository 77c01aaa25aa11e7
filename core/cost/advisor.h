// The optimisation advisor: recommendations with projected monthly savings, the evidence behind
// each and a risk level. Only evidence the caller gives (or the ledger holds) is used; where a
// saving depends on an assumption, the assumption is a named input and is repeated in the
// recommendation. Kinds:
//   model_switch     a cheaper model whose verification pass rate on the same task is not worse
//                    beyond a tolerance (two-proportion 95 % interval); savings = the ledger's
//                    token mix re-priced with the cheaper model's catalog prices
//   batch            latency-tolerant tasks on models with batch prices
//   cache_ttl        cache writes that are read less than once on average: a longer TTL, saving
//                    under the stated share of re-writes that would become reads
//   ensemble_config  ensemble checks that never disagreed over enough runs (rule-of-three bound)
//   tiering          idle data on hot storage moved to warm
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cost/catalog.h"
#include "cost/ledger.h"
#include "cost/spans.h"

namespace flk::cost {

struct QualityStat {
  std::string task, model;
  int64_t passed = 0, total = 0;  // verification outcomes
};

struct EnsembleStat {
  std::string check;
  int64_t runs = 0, disagreements = 0;
  Nanos cost_per_run = 0;
};

struct StorageStat {
  int64_t hot_bytes = 0;
  int64_t idle_hot_bytes = 0;  // on hot storage and not read for the idle window
};

struct AdvisorInput {
  const Catalog* catalog = nullptr;
  const Ledger* ledger = nullptr;
  Filter scope;        // which ledger events (tenant, days, …)
  int lookback_days = 30;  // the ledger window the monthly figures scale from
  std::vector<QualityStat> quality;
  double max_pass_rate_drop = 0.01;  // tolerated drop in pass rate (upper 95 % bound)
  int64_t min_quality_samples = 100;
  std::vector<EnsembleStat> ensemble;
  int64_t min_ensemble_runs = 300;
  std::vector<std::string> latency_tolerant_tasks;
  double cache_rewrite_avoidable = 0.5;  // assumption: share of cache re-writes a 1 h TTL turns into reads
  std::optional<StorageStat> storage;
  ResourcePrices resource_prices;
};

struct Evidence {
  std::string name;
  std::string value;
};

struct Recommendation {
  std::string id;
  std::string type;
  std::string title;
  Nanos monthly_savings = 0;
  Nanos monthly_cost_now = 0;
  std::string risk;  // low | medium | high
  std::vector<Evidence> evidence;
  std::vector<std::string> assumptions;
  std::vector<std::string> steps;
};

// Sorted by monthly savings, largest first; only positive savings.
Result<std::vector<Recommendation>> advise(const AdvisorInput& in);

}  // namespace flk::cost
