#include "anomaly/decision.h"

#include <cmath>

#include "json/number_format.h"

namespace flk::anomaly {

const char* mode_name(Mode m) {
  switch (m) {
    case Mode::Guardrail: return "guardrail";
    case Mode::Blocking: return "blocking";
    case Mode::Shadow: break;
  }
  return "shadow";
}

bool parse_mode(const std::string& name, Mode& out) {
  for (Mode m : {Mode::Shadow, Mode::Guardrail, Mode::Blocking})
    if (name == mode_name(m)) {
      out = m;
      return true;
    }
  return false;
}

const char* action_name(Action a) {
  switch (a) {
    case Action::Guardrail: return "guardrail";
    case Action::Block: return "block";
    case Action::Accept: break;
  }
  return "accept";
}

Decision decide(Mode mode, const DecisionRule& rule, double score, double uncertainty) {
  using json::format_double;
  Decision d;
  d.is_anomaly = score >= rule.threshold;
  d.confidence = rule.threshold > 0 ? std::fabs(score - rule.threshold) / rule.threshold : 0.0;
  const std::string s = format_double(score), u = format_double(uncertainty);
  if (score >= rule.block_threshold && uncertainty <= rule.max_uncertainty) {
    d.rule = Action::Block;
    d.reason = "score " + s + " >= block threshold " + format_double(rule.block_threshold) + " and uncertainty " + u +
               " <= " + format_double(rule.max_uncertainty);
  } else if (d.is_anomaly) {
    d.rule = Action::Guardrail;
    d.reason = "score " + s + " >= threshold " + format_double(rule.threshold);
    if (score >= rule.block_threshold)
      d.reason += " (not blocked: uncertainty " + u + " > " + format_double(rule.max_uncertainty) + ")";
  } else {
    d.reason = "score " + s + " < threshold " + format_double(rule.threshold);
  }
  switch (mode) {
    case Mode::Shadow:
      d.action = Action::Accept;
      if (d.rule != Action::Accept) d.reason = std::string("shadow mode, would ") + action_name(d.rule) + ": " + d.reason;
      break;
    case Mode::Guardrail:
      d.action = d.rule == Action::Block ? Action::Guardrail : d.rule;
      if (d.rule == Action::Block) d.reason = "guardrail mode, would block: " + d.reason;
      break;
    case Mode::Blocking:
      d.action = d.rule;
      break;
  }
  return d;
}

}  // namespace flk::anomaly
