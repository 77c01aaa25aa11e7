// The policy simulator (docs/policy.md, "Simulator"): recorded requests replayed through a
// candidate RiskRoutingPolicy, against the decisions recorded with them or those of a baseline
// policy replayed the same way. Deterministic: records in order, sums left to right.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "policy/router.h"

namespace flk::policy {

struct TraceRecord {
  std::string id;
  Request request;
  std::string recorded_action;          // required without a baseline policy
  std::map<std::string, double> costs;  // USD of serving the request under each action
  int label = -1;                       // 1: the answer was hallucinated, 0: it was fine, -1: unlabelled
};

struct SimulationReport {
  size_t requests = 0;
  size_t changed = 0;
  size_t not_governed = 0;  // the candidate's selector did not admit the request
  std::map<std::string, size_t> baseline_actions, candidate_actions;
  std::map<std::string, size_t> transitions;  // "from->to" for the changed ones
  double baseline_escalation = 0, candidate_escalation = 0;    // share sent to human_review or reject
  size_t labelled_hallucinated = 0;
  double baseline_containment = 0, candidate_containment = 0;  // share of hallucinated answers not served
  double baseline_cost_usd = 0, candidate_cost_usd = 0;
  size_t cost_unknown = 0;  // requests whose trace lacks a cost for one of the two actions
  size_t newly_contained = 0, newly_served_hallucinated = 0, newly_escalated_fine = 0, newly_served_fine = 0;
  std::vector<std::string> changed_ids;  // the first kMaxChangedIds
};

constexpr size_t kMaxChangedIds = 100;

// An action serves the answer (possibly grounded, cheaper or elsewhere) rather than holding it.
bool serves(const std::string& action);

// `path` locates the trace in the caller's input (record errors name "<path>[i]").
Result<SimulationReport> simulate(const Router& candidate, const Router* baseline, const std::vector<TraceRecord>& trace,
                                  const std::string& path);

}  // namespace flk::policy
