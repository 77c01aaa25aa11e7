// A RiskRoutingPolicy applied to one request (docs/policy.md, "Evaluation"): the selector, the
// fail mode, the band of the risk score, the first override whose condition holds, and the
// scorer's minimum confidence, in that order. Expressions are compiled once per policy.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "json/value.h"
#include "policy/bundle.h"
#include "policy/cel.h"

namespace flk::policy {

struct Request {
  std::string tenant;
  double risk = 0;                    // [0, 1]
  std::optional<double> confidence;   // the scorer's, [0, 1]
  bool scorer_failed = false;
  std::optional<int64_t> latency_ms;  // the scorer's, against latency_budget_ms
  json::Value attributes;             // an object (or null): more names for the expressions
};

struct Decision {
  bool applies = false;  // false: the selector did not admit the request (nothing else is set)
  std::string band;
  std::string action;
  std::optional<double> budget_factor;
  std::string region;
  std::string reason;  // band, override, low_confidence, fail_mode
  int override_index = -1;
};

class Router {
 public:
  // The bundle must be a loaded RiskRoutingPolicy; `path` locates it in the caller's input.
  static Result<Router> make(const Bundle& b, const std::string& path);
  Result<Decision> decide(const Request& r) const;
  // The summed estimated cost of its expressions (cel.h), for the callers' work bounds.
  int64_t cost() const;

 private:
  struct Override {
    cel::Program when;
    json::Value action;  // the override object (action, budget_factor, region)
  };
  json::Value spec_;
  std::string path_;
  std::optional<cel::Program> selector_;
  std::vector<Override> overrides_;
};

// Where an action sits in escalation order (kinds.h kActions); -1 when unknown.
int escalation(const std::string& action);

}  // namespace flk::policy
