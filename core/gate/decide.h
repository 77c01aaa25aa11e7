// The verification gate's one decision (docs/ensemble.md, "The gate"): the ensemble's verdict,
// then the routing band of the request's risk, then the tenant's budget, each able to make the
// action more severe (accept < escalate < reject), never less. flk-server's POST /v1/verify and
// the edge hosts' POST /verify both call it through the gate.decide op.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "routing/bands.h"

namespace flk::gate {

enum class Action { kAccept, kEscalate, kReject };

struct BudgetRule {
  double cap_usd = 0;    // the window's cap
  double spent_usd = 0;  // spent in the window before this request
  Action on_exceeded = Action::kReject;
};

// A routing step decided elsewhere: the tenant's RiskRoutingPolicy (core/policy/router.h).
struct Routed {
  Action action = Action::kEscalate;
  std::string reason;
};

struct Inputs {
  Action ensemble = Action::kEscalate;  // ensemble.verify's decision
  std::string ensemble_reason;
  std::optional<double> risk;  // the score the bands route on; none when no scorer answered
  routing::Policy bands;
  std::optional<Routed> routed;  // when set, the routing step instead of the bands'
  std::optional<BudgetRule> budget;
  double cost_usd = 0;  // the request's own cost (usage.cost_usd)
};

struct Step {
  const char* step;  // "ensemble" | "routing" | "budget"
  Action action;
  std::string reason;
};

struct Decision {
  Action action = Action::kEscalate;
  std::vector<Step> steps;                // in order; a step that did not run is absent
  std::optional<routing::Band> band;      // the band of risk, when there is one
  bool over_budget = false;
};

Decision decide(const Inputs& in);

// accept 200, escalate 202, reject 409: the HTTP status both the server and the edge answer with.
int http_status(Action a);
const char* action_name(Action a);
bool parse_action(const std::string& s, Action& out);

}  // namespace flk::gate
