// Combining votes into one decision (docs/ensemble.md, "Combination"): N-of-M over the
// voters' pass / flag / unsure votes, or a fitted logistic stacker over their scores and
// missing indicators; a voter that timed out or failed is handled by the policy's mode for
// that failure: fail_open (counts as a pass, the verdict is marked degraded), fail_closed (the
// decision is reject, whatever the others say) or degrade (the voter is left out, the quorum is
// taken over the rest, the verdict is marked degraded).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "ensemble/vote.h"
#include "hrs/logistic.h"

namespace flk::ensemble {

enum class FailMode { kFailOpen, kFailClosed, kDegrade };
enum class Method { kNofM, kStacker };
enum class Decision { kAccept, kEscalate, kReject };
enum class VoteKind { kPass, kFlag, kUnsure, kNone };

const char* fail_mode_name(FailMode m);
const char* method_name(Method m);
const char* decision_name(Decision d);
const char* vote_kind_name(VoteKind k);

struct VoterBands {
  double pass_below = 0.3;  // score < pass_below: pass
  double flag_at = 0.7;     // score >= flag_at: flag; in between: unsure
};

// The stacker: a logistic regression over, per named voter, its score (0 when it did not
// answer) and a missing indicator; inputs[2k] is voter k's score, inputs[2k + 1] its indicator.
struct Stacker {
  std::vector<std::string> voters;
  hrs::LinearModel model;
};

struct Policy {
  Method method = Method::kNofM;
  int n = 2;  // N of N-of-M
  FailMode on_timeout = FailMode::kDegrade, on_error = FailMode::kDegrade;
  std::map<std::string, VoterBands> bands;  // per voter; absent = defaults
  double accept_below = 0.3, reject_at = 0.7;  // the stacker's probability bands
};

struct Failure {
  std::string voter;
  VoteStatus status;
  FailMode mode;
};

struct Verdict {
  Decision decision = Decision::kEscalate;
  std::string reason;
  bool degraded = false;
  std::vector<Failure> failures;
  int counted = 0, passes = 0, flags = 0;  // voters in the quorum and their votes
  double probability = -1;                 // stacker only
  double logit = 0;
  std::vector<VoteKind> kinds;             // per vote
  std::vector<double> contribution;        // per vote: N-of-M ±1/0, stacker logit contribution (NaN: not an input)
  bool has_contribution(size_t i) const { return contribution[i] == contribution[i]; }
};

Verdict combine(const std::vector<Vote>& votes, const Policy& p, const Stacker& stacker);

// The stacker's input row for the votes (scores and missing indicators in stacker.voters order).
std::vector<double> stacker_row(const std::vector<Vote>& votes, const Stacker& stacker);

}  // namespace flk::ensemble
