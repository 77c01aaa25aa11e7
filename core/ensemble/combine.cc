#include "ensemble/combine.h"

#include <limits>

#include "math/dmath.h"

namespace flk::ensemble {

const char* fail_mode_name(FailMode m) {
  return m == FailMode::kFailOpen ? "fail_open" : m == FailMode::kFailClosed ? "fail_closed" : "degrade";
}
const char* method_name(Method m) { return m == Method::kNofM ? "n_of_m" : "stacker"; }
const char* decision_name(Decision d) {
  return d == Decision::kAccept ? "accept" : d == Decision::kEscalate ? "escalate" : "reject";
}
const char* vote_kind_name(VoteKind k) {
  switch (k) {
    case VoteKind::kPass: return "pass";
    case VoteKind::kFlag: return "flag";
    case VoteKind::kUnsure: return "unsure";
    case VoteKind::kNone: return "none";
  }
  return "none";
}

std::vector<double> stacker_row(const std::vector<Vote>& votes, const Stacker& stacker) {
  std::vector<double> x(2 * stacker.voters.size(), 0);
  for (size_t k = 0; k < stacker.voters.size(); ++k) {
    x[2 * k + 1] = 1;
    for (const Vote& v : votes)
      if (v.voter == stacker.voters[k] && v.status == VoteStatus::kOk) x[2 * k] = v.score, x[2 * k + 1] = 0;
  }
  return x;
}

namespace {

VoteKind kind_of(const Vote& v, const Policy& p) {
  auto it = p.bands.find(v.voter.compare(0, 5, "host:") == 0 ? std::string("host") : v.voter);
  VoterBands b = it == p.bands.end() ? VoterBands{} : it->second;
  if (v.score < b.pass_below) return VoteKind::kPass;
  return v.score >= b.flag_at ? VoteKind::kFlag : VoteKind::kUnsure;
}

void n_of_m(Verdict& out, int n) {
  const int need = out.counted < n ? out.counted : n;
  if (out.counted == 0) {
    out.decision = Decision::kEscalate;
    out.reason = "no voter answered";
  } else if (out.counted < n) {
    out.decision = Decision::kEscalate;
    out.reason = "quorum not reached: " + std::to_string(out.counted) + " voters counted, " + std::to_string(n) + " needed";
  } else if (out.passes >= need && out.flags >= need) {
    out.decision = Decision::kEscalate;
    out.reason = "voters disagree";
  } else if (out.passes >= need) {
    out.decision = Decision::kAccept;
  } else if (out.flags >= need) {
    out.decision = Decision::kReject;
  } else {
    out.decision = Decision::kEscalate;
    out.reason = "neither passes nor flags reach " + std::to_string(n);
  }
}

}  // namespace

Verdict combine(const std::vector<Vote>& votes, const Policy& p, const Stacker& stacker) {
  Verdict out;
  out.kinds.assign(votes.size(), VoteKind::kNone);
  out.contribution.assign(votes.size(), std::numeric_limits<double>::quiet_NaN());
  bool closed = false;
  std::vector<Vote> effective = votes;  // what the stacker sees: degraded voters become missing
  for (size_t i = 0; i < votes.size(); ++i) {
    const Vote& v = votes[i];
    if (v.status == VoteStatus::kSkipped) continue;
    if (v.status == VoteStatus::kOk) {
      out.kinds[i] = kind_of(v, p);
    } else {
      FailMode mode = v.status == VoteStatus::kTimeout ? p.on_timeout : p.on_error;
      out.failures.push_back({v.voter, v.status, mode});
      out.degraded = true;
      closed |= mode == FailMode::kFailClosed;
      if (mode == FailMode::kDegrade) continue;
      out.kinds[i] = mode == FailMode::kFailOpen ? VoteKind::kPass : VoteKind::kFlag;
      effective[i].status = VoteStatus::kOk;
      effective[i].score = mode == FailMode::kFailOpen ? 0 : 1;
    }
    ++out.counted;
    out.passes += out.kinds[i] == VoteKind::kPass;
    out.flags += out.kinds[i] == VoteKind::kFlag;
    if (p.method == Method::kNofM)
      out.contribution[i] = out.kinds[i] == VoteKind::kPass ? -1 : out.kinds[i] == VoteKind::kFlag ? 1 : 0;
  }
  if (p.method == Method::kNofM) {
    n_of_m(out, p.n);
  } else {
    std::vector<double> x = stacker_row(effective, stacker), c(x.size());
    out.logit = hrs::linear_logit(stacker.model, x.data(), c.data());
    out.probability = dm::sigmoid(out.logit);
    for (size_t k = 0; k < stacker.voters.size(); ++k)
      for (size_t i = 0; i < votes.size(); ++i)
        if (votes[i].voter == stacker.voters[k]) out.contribution[i] = c[2 * k] + c[2 * k + 1];
    out.decision = out.probability < p.accept_below ? Decision::kAccept
                   : out.probability >= p.reject_at ? Decision::kReject
                                                   : Decision::kEscalate;
  }
  // fail_closed overrides every other vote: a failed voter may never let an answer through.
  if (closed) {
    out.decision = Decision::kReject;
    out.reason = "fail_closed: a voter did not answer";
  }
  return out;
}

}  // namespace flk::ensemble
