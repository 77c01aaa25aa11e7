#include "gate/decide.h"

#include "json/fixed_text.h"

namespace flk::gate {
namespace {

// Retrieval first and a person's review both hold the answer back: escalate.
Action from_band(routing::Action a) {
  switch (a) {
    case routing::Action::Accept: return Action::kAccept;
    case routing::Action::Reject: return Action::kReject;
    case routing::Action::RagRequired:
    case routing::Action::HumanReview: break;
  }
  return Action::kEscalate;
}

Action more_severe(Action a, Action b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

std::string usd(double v) {
  std::string s;
  json::append_fixed(s, v, 6);
  return s;
}

}  // namespace

Decision decide(const Inputs& in) {
  Decision d;
  const Action e = in.ensemble;
  d.steps.push_back({"ensemble", e, in.ensemble_reason.empty() ? std::string("voters: ") + action_name(e) : in.ensemble_reason});
  d.action = e;
  if (in.routed) {
    d.steps.push_back({"routing", in.routed->action, in.routed->reason});
    d.action = more_severe(d.action, in.routed->action);
  } else if (in.risk) {
    const routing::Band& b = routing::band_for(in.bands, *in.risk);
    d.band = b;
    const Action a = from_band(b.action);
    d.steps.push_back({"routing", a, std::string("band ") + b.name + ": " + routing::action_name(b.action)});
    d.action = more_severe(d.action, a);
  }
  if (in.budget) {
    const BudgetRule& b = *in.budget;
    d.over_budget = in.cost_usd > 0 ? b.spent_usd + in.cost_usd > b.cap_usd : b.spent_usd >= b.cap_usd;
    const Action a = d.over_budget ? b.on_exceeded : Action::kAccept;
    d.steps.push_back({"budget", a,
                       (d.over_budget ? "over the cap: " : "within the cap: ") + usd(b.spent_usd) + " + " +
                           usd(in.cost_usd) + " of " + usd(b.cap_usd) + " USD"});
    d.action = more_severe(d.action, a);
  }
  return d;
}

int http_status(Action a) {
  switch (a) {
    case Action::kAccept: return 200;
    case Action::kEscalate: return 202;
    case Action::kReject: break;
  }
  return 409;
}

const char* action_name(Action a) {
  switch (a) {
    case Action::kAccept: return "accept";
    case Action::kEscalate: return "escalate";
    case Action::kReject: break;
  }
  return "reject";
}

bool parse_action(const std::string& s, Action& out) {
  for (Action a : {Action::kAccept, Action::kEscalate, Action::kReject})
    if (s == action_name(a)) {
      out = a;
      return true;
    }
  return false;
}

}  // namespace flk::gate
