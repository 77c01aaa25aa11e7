// The adaptive area: per tenant, the bandit state of each adaptive EnsemblePolicy (one row per
// (tenant, policy hash), the JSON of ensemble.bandit.update, at most 8 arms) and how often each
// pair of voters agreed (one row per (tenant, pair); host votes count as one voter "host", so a
// tenant has at most 21 rows). Labels reward the bandit once per (verification, source):
// adaptive_rewarded remembers which did, so a replaced label does not count twice.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

// Rewards the arm that made verification `id` for a label from `source`: once per (tenant, id,
// source), and only for a stored verification; won: the state changed. `next` maps the stored
// state ("" when none) to the new one; it runs inside the transaction, after the row is locked,
// so concurrent labels of one policy apply one after the other on every database.
class BanditRewardWrite final : public Write {
 public:
  const WriteType& type() const override;
  std::string policy, source;
  int64_t now = 0;
  std::function<Result<std::string>(const std::string& state)> next;
};

struct PairCount {
  std::string a, b;  // a < b
  int64_t both = 0, agree = 0;
};

// Adds one decision's pairs to the tenant's counters.
class AgreementWrite final : public Write {
 public:
  const WriteType& type() const override;
  std::vector<PairCount> pairs;
};

namespace adaptive {

extern const Area kArea;

struct BanditRow {
  std::string policy, state;
  int64_t updated = 0;
};
// The state of one policy ("" when no label has rewarded it yet).
Result<std::string> state(Store& store, const std::string& tenant, const std::string& policy);
// Every policy's state of the tenant, by policy hash.
Result<std::vector<BanditRow>> bandits(Store& store, const std::string& tenant);
// The tenant's pair counters, by (a, b).
Result<std::vector<PairCount>> agreement(Store& store, const std::string& tenant);

}  // namespace adaptive
}  // namespace flk::server
