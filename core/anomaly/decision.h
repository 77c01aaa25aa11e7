// What happens to a scored vector. The rule is the spec's dual threshold (§4.3): block when
// score >= block_threshold and uncertainty <= max_uncertainty, else guardrail (escalate to the
// risk scorer / ensemble) when score >= threshold, else accept. The mode limits the action:
// shadow only logs what the rule would do, guardrail never blocks, blocking applies the rule.
#pragma once
#include <string>

namespace flk::anomaly {

enum class Mode { Shadow, Guardrail, Blocking };
enum class Action { Accept, Guardrail, Block };

const char* mode_name(Mode m);
bool parse_mode(const std::string& name, Mode& out);
const char* action_name(Action a);

struct DecisionRule {
  double threshold = 0.5;
  double block_threshold = 0.9;
  double max_uncertainty = 0.2;
};

struct Decision {
  Action action = Action::Accept;  // what the caller should do in this mode
  Action rule = Action::Accept;    // what the dual-threshold rule says
  bool is_anomaly = false;         // score >= threshold
  double confidence = 0;           // |score - threshold| / threshold
  std::string reason;
};

Decision decide(Mode mode, const DecisionRule& rule, double score, double uncertainty);

}  // namespace flk::anomaly
