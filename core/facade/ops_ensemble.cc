// Ensemble verification ops (docs/ensemble.md): one op per voter, ensemble.verify (voters ->
// failure modes -> N-of-M or the stacker -> accept / escalate / reject with every voter's part)
// and ensemble.eval (grouped-CV measurement and the fit of the shipped parameters).
#include <chrono>
#include <cmath>
#include <optional>

#include "ensemble/cascade.h"
#include "ensemble/fit.h"
#include "facade/ensemble_input.h"
#include "facade/ensemble_params.h"
#include "facade/ensemble_verify.h"
#include "facade/hrs_input.h"
#include "facade/hrs_registry.h"
#include "facade/hrs_train_work.h"
#include "facade/registry.h"

#define FLK_TS_ENSEMBLE_REQUEST                                                                                    \
  "question?: string; context?: string; answer: string; task?: 'qa' | 'rag' | 'dialogue' | 'summarization'; "   \
  "citations?: { answer: [number, number]; source: [number, number] }[]; samples?: string[]; "                   \
  "pcs?: Record<string, unknown>; pcs_params?: Record<string, number>; host_votes?: { name: string; status?: "   \
  "'ok' | 'timeout' | 'error'; score?: number; latency_us: number; timeout_us?: number; message?: string }[]"
#define FLK_TS_VOTE                                                                                          \
  "{ voter: string; status: 'ok' | 'timeout' | 'error' | 'skipped'; score: number | null; latency_us: number; " \
  "evidence: Record<string, unknown> }"

namespace flk {
namespace {

using ensemble::Vote;
using ensemble::VoteStatus;
using ensemble_io::Clock;

// The modeled clock: latency_us = fixed + ceil(work bytes x ns_per_byte / 1000), per voter,
// the least-squares fit of CPU time on bytes read that `flk ensemble eval` prints (native build;
// docs/ensemble.md, "Latency"; self-consistency: grounding's, per sample). Deterministic, so
// golden vectors and deadlines give the same answer in every build.
struct CostModel {
  const char* voter;
  double fixed_us, ns_per_byte;
};
constexpr CostModel kCost[] = {{"pcs_recompute", 5, 0},       {"risk", 22, 23},       {"grounding", 7, 16},
                               {"citation_overlap", 3, 27}, {"micro_vote", 10, 42}, {"self_consistency", 7, 16}};

uint64_t modeled_us(const std::string& voter, uint64_t work) {
  for (const CostModel& c : kCost)
    if (voter == c.voter) return static_cast<uint64_t>(c.fixed_us + std::ceil(static_cast<double>(work) * c.ns_per_byte / 1000));
  return 0;
}

// The bytes a voter will read, known before it runs.
uint64_t expected_work(const std::string& voter, const ensemble::Request& r) {
  if (voter == "pcs_recompute") return r.pcs ? 64 * (r.pcs->scales.size() + 1) : 0;
  if (voter == "citation_overlap") {
    uint64_t w = 0;
    for (const auto& c : r.citations) w += (c.answer_end - c.answer_begin) + (c.source_end - c.source_begin);
    return w;
  }
  if (voter == "self_consistency") {
    uint64_t w = 0;
    for (auto s : r.samples) w += s.size() + r.answer.size();
    return w;
  }
  return r.question.size() + r.context.size() + r.answer.size();
}

Result<Vote> run_one(Engine& e, const std::string& voter, const ensemble::Request& r, const ensemble::Learned& p) {
  if (voter == "pcs_recompute") return ensemble::vote_pcs(r);
  if (voter == "risk") {
    FLK_ASSIGN(auto m, hrs_io::default_model(e));
    return ensemble::vote_risk(m->model, r);
  }
  if (voter == "grounding") return ensemble::vote_grounding(r);
  if (voter == "citation_overlap") return ensemble::vote_citation(r, p.voters.citation_threshold);
  if (voter == "micro_vote") return ensemble::vote_micro(p.voters.micro, r);
  return ensemble::vote_self_consistency(r);
}

Vote failed(const std::string& voter, VoteStatus s, json::Value evidence) {
  Vote v;
  v.voter = voter;
  v.status = s;
  v.evidence = std::move(evidence);
  return v;
}

// One voter under the settings: an injected failure, a deadline the modeled cost exceeds (the
// voter is not run), or the voter's answer with its latency (a measured latency past the
// deadline turns it into a timeout, its answer discarded).
Result<Vote> run_voter(Engine& e, const std::string& voter, const ensemble::Request& r,
                       const ensemble_io::Settings& s, const ensemble::Learned& p) {
  auto inj = s.inject.find(voter);
  if (inj != s.inject.end()) {
    json::Value ev = json::Value::object();
    ev.set("injected", true);
    return failed(voter, inj->second, std::move(ev));
  }
  auto dl = s.deadline_us.find(voter);
  const uint64_t work = expected_work(voter, r);
  if (s.clock == Clock::kModeled && dl != s.deadline_us.end() && modeled_us(voter, work) > dl->second) {
    json::Value ev = json::Value::object();
    ev.set("deadline_us", static_cast<int64_t>(dl->second)).set("modeled_us", static_cast<int64_t>(modeled_us(voter, work)));
    Vote v = failed(voter, VoteStatus::kTimeout, std::move(ev));
    v.latency_us = dl->second;
    return v;
  }
  // The clock is read only when it is the measure: in the WASI reactor each read is a host call
  // (6 a gate.decide, about 1 µs in all; docs/edge.md, "Session 14: the WASI small rows").
  const bool measured = s.clock == Clock::kMeasured;
  std::chrono::steady_clock::time_point t0;
  if (measured) t0 = std::chrono::steady_clock::now();
  FLK_ASSIGN(Vote v, run_one(e, voter, r, p));
  if (v.status == VoteStatus::kSkipped) return v;
  v.latency_us = measured ? static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - t0)
                                .count())
                          : modeled_us(voter, work);
  if (dl != s.deadline_us.end() && v.latency_us > dl->second) {
    json::Value ev = json::Value::object();
    ev.set("deadline_us", static_cast<int64_t>(dl->second));
    Vote t = failed(voter, VoteStatus::kTimeout, std::move(ev));
    t.latency_us = v.latency_us;
    return t;
  }
  return v;
}

Vote host_voter(const ensemble::HostVote& h, const ensemble_io::Settings& s) {
  ensemble::HostVote x = h;
  auto dl = s.deadline_us.find("host");
  if (dl != s.deadline_us.end()) x.timeout_us = x.timeout_us ? std::min(*x.timeout_us, dl->second) : dl->second;
  auto inj = s.inject.find("host");
  if (inj != s.inject.end()) {
    json::Value ev = json::Value::object();
    ev.set("injected", true);
    return failed("host:" + h.name, inj->second, std::move(ev));
  }
  return ensemble::vote_host(x);
}

json::Value vote_json(const Vote& v) {
  json::Value o = json::Value::object();
  o.set("voter", v.voter).set("status", ensemble::status_name(v.status));
  o.set("score", v.status == VoteStatus::kOk ? json::Value(v.score) : json::Value());
  o.set("latency_us", static_cast<int64_t>(v.latency_us)).set("evidence", v.evidence);
  return o;
}

Result<json::Value> voter_op(Engine& e, const json::Value& in, const char* voter) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  ensemble::Request req;
  FLK_TRY(ensemble_io::read_request(r, req));
  ensemble_io::Settings s;
  FLK_ASSIGN(s.clock, ensemble_io::read_clock(r));
  FLK_TRY(r.finish());
  FLK_ASSIGN(Vote v, run_voter(e, voter, req, s, ensemble_io::default_params().learned));
  return vote_json(v);
}

template <const char* const* Name>
Result<json::Value> op_voter(Engine& e, const json::Value& in) {
  return voter_op(e, in, *Name);
}

Result<json::Value> op_host(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* h, r.required("host_vote"));
  FLK_ASSIGN(ensemble::HostVote hv, ensemble_io::read_host_vote(*h, r.path_of("host_vote")));
  FLK_TRY(r.finish());
  return vote_json(ensemble::vote_host(hv));
}

// Every voter in policy order, or with the cascade cheapest first until the decision is fixed
// (the voters not run are skipped, with the reason); host votes are given, so they count first.
Status run_voters(Engine& e, const ensemble::Request& req, const ensemble_io::Settings& s,
                  const ensemble::Learned& p, std::vector<Vote>& votes) {
  std::vector<Vote> hosts;
  for (const auto& h : req.host_votes) hosts.push_back(host_voter(h, s));
  if (!s.cascade) {
    for (const std::string& v : s.voters) {
      FLK_ASSIGN(Vote x, run_voter(e, v, req, s, p));
      votes.push_back(std::move(x));
    }
    votes.insert(votes.end(), hosts.begin(), hosts.end());
    return Ok{};
  }
  std::vector<uint64_t> cost;
  for (const std::string& v : s.voters) cost.push_back(modeled_us(v, expected_work(v, req)));
  std::vector<Vote> done = hosts;
  std::vector<std::optional<Vote>> by_index(s.voters.size());
  const std::vector<size_t> order = ensemble::cheapest_first(cost);
  for (size_t k = 0; k < order.size(); ++k) {
    const int remaining = static_cast<int>(order.size() - k);
    if (ensemble::settled(done, remaining, s.policy)) break;
    FLK_ASSIGN(Vote x, run_voter(e, s.voters[order[k]], req, s, p));
    done.push_back(x);
    by_index[order[k]] = std::move(x);
  }
  for (size_t i = 0; i < s.voters.size(); ++i)
    votes.push_back(by_index[i] ? std::move(*by_index[i]) : ensemble::skipped(s.voters[i], "cascade: decision already fixed"));
  votes.insert(votes.end(), hosts.begin(), hosts.end());
  return Ok{};
}

Result<json::Value> op_verify(Engine& e, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  ensemble::Request req;
  FLK_TRY(ensemble_io::read_request(r, req));
  FLK_ASSIGN(ensemble_io::Settings s, ensemble_io::read_settings(r));
  FLK_TRY(r.finish());
  return ensemble_io::verify(e, req, s);
}

// ensemble.eval retrains the risk scorer per fold (hrs::train_model with its defaults), then
// fits the ensemble's parts on the same folds: the same work bounds as hrs.train's.
Result<json::Value> op_eval(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* ev, r.required("examples"));
  FLK_ASSIGN(auto data, hrs_io::read_examples(*ev, "$.examples"));
  // The stacker's rows take micro-vote scores fitted on inner folds, which leave out both the outer
  // test fold and the row's own: that needs three folds at least.
  FLK_ASSIGN(auto folds, r.opt_integer("folds", 3, 10));
  FLK_ASSIGN(auto seed, r.opt_integer("seed", 0, INT64_MAX));
  FLK_ASSIGN(auto budget, r.opt_number("budget", {0, 1}));
  FLK_TRY(r.finish());
  hrs::TrainOptions opt;
  opt.probes = false;
  if (folds) opt.folds = static_cast<int>(*folds);
  if (seed) opt.seed = static_cast<uint64_t>(*seed);
  FLK_TRY(hrs_io::check_train_work(opt, data, "$.examples"));
  FLK_ASSIGN(hrs::TrainResult t, hrs::train_model(data, opt));
  ensemble::EvalResult res = ensemble::evaluate(data, t.oof_probability, t.fold, opt.folds, budget.value_or(0.1));
  json::Value sets = json::Value::object();
  for (const auto& s : res.sets) {
    json::Value o = json::Value::object();
    o.set("examples", static_cast<int64_t>(s.examples)).set("positives", static_cast<int64_t>(s.positives));
    o.set("escalated", static_cast<int64_t>(s.escalated));
    o.set("escaped_risk", static_cast<int64_t>(s.escaped_risk)).set("escaped_ensemble", static_cast<int64_t>(s.escaped_ensemble));
    o.set("auroc_risk", s.auroc_risk).set("auroc_ensemble", s.auroc_ensemble).set("ece_ensemble", s.ece_ensemble);
    o.set("corr_risk_micro_vote", s.corr_risk_micro);
    json::Value voters = json::Value::object();
    for (const auto& kv : s.auroc_voters) voters.set(kv.first, kv.second);
    o.set("auroc_voters", std::move(voters));
    json::Value nofm = json::Value::object();
    nofm.set("accept", static_cast<int64_t>(s.nofm_accept)).set("escalate", static_cast<int64_t>(s.nofm_escalate));
    nofm.set("reject", static_cast<int64_t>(s.nofm_reject)).set("escaped", static_cast<int64_t>(s.nofm_escaped));
    nofm.set("false_reject", static_cast<int64_t>(s.nofm_false_reject));
    o.set("two_of_three", std::move(nofm));
    sets.set(s.set, std::move(o));
  }
  json::Value out = json::Value::object();
  out.set("budget", res.budget).set("folds", static_cast<int64_t>(res.folds)).set("sets", std::move(sets));
  out.set("params", ensemble_io::params_json(res.learned));
  return out;
}

constexpr const char* kPcs = "pcs_recompute";
constexpr const char* kRisk = "risk";
constexpr const char* kGrounding = "grounding";
constexpr const char* kCitation = "citation_overlap";
constexpr const char* kMicro = "micro_vote";
constexpr const char* kSelf = "self_consistency";

}  // namespace

namespace ensemble_io {

Result<json::Value> verify(Engine& e, const ensemble::Request& req, const Settings& s) {
  const DefaultParams& params = default_params();
  std::vector<Vote> votes;
  FLK_TRY(run_voters(e, req, s, params.learned, votes));
  ensemble::Verdict verdict = ensemble::combine(votes, s.policy, params.learned.stacker);
  json::Value list = json::Value::array();
  uint64_t total_us = 0;
  for (size_t i = 0; i < votes.size(); ++i) {
    json::Value o = vote_json(votes[i]);
    o.set("vote", ensemble::vote_kind_name(verdict.kinds[i]));
    o.set("contribution", verdict.has_contribution(i) ? json::Value(verdict.contribution[i]) : json::Value());
    list.push(std::move(o));
    total_us += votes[i].latency_us;
  }
  json::Value failures = json::Value::array();
  for (const auto& f : verdict.failures) {
    json::Value o = json::Value::object();
    o.set("voter", f.voter).set("status", ensemble::status_name(f.status)).set("mode", ensemble::fail_mode_name(f.mode));
    failures.push(std::move(o));
  }
  json::Value out = json::Value::object();
  out.set("decision", ensemble::decision_name(verdict.decision));
  out.set("method", ensemble::method_name(s.policy.method));
  out.set("degraded", verdict.degraded).set("failures", std::move(failures));
  if (!verdict.reason.empty()) out.set("reason", verdict.reason);
  json::Value quorum = json::Value::object();
  quorum.set("n", static_cast<int64_t>(s.policy.n)).set("counted", static_cast<int64_t>(verdict.counted));
  quorum.set("passes", static_cast<int64_t>(verdict.passes)).set("flags", static_cast<int64_t>(verdict.flags));
  out.set("quorum", std::move(quorum));
  if (s.policy.method == ensemble::Method::kStacker) out.set("probability", verdict.probability).set("logit", verdict.logit);
  out.set("votes", std::move(list));
  out.set("latency_us", static_cast<int64_t>(total_us));
  out.set("clock", s.clock == Clock::kModeled ? "modeled" : "measured");
  out.set("params_id", params.id);
  return out;
}

}  // namespace ensemble_io

void add_ensemble_ops(std::vector<OpSpec>& t) {
  static const std::string req_in = std::string("{ ") + FLK_TS_ENSEMBLE_REQUEST + "; clock?: 'modeled' | 'measured' }";
  static const std::string verify_in =
      std::string("{ ") + FLK_TS_ENSEMBLE_REQUEST +
      "; policy?: { method?: 'n_of_m' | 'stacker'; n?: number; voters?: ('pcs_recompute' | 'risk' | 'grounding' | "
      "'citation_overlap' | 'micro_vote' | 'self_consistency')[]; on_timeout?: 'fail_open' | 'fail_closed' | "
      "'degrade'; on_error?: 'fail_open' | 'fail_closed' | 'degrade'; deadline_us?: Record<string, number>; "
      "bands?: Record<string, { pass_below?: number; flag_at?: number }>; accept_below?: number; reject_at?: "
      "number; inject?: Record<string, 'timeout' | 'error'>; clock?: 'modeled' | 'measured'; cascade?: boolean } }";
  static const std::string verify_out =
      "{ decision: 'accept' | 'escalate' | 'reject'; method: 'n_of_m' | 'stacker'; degraded: boolean; failures: { "
      "voter: string; status: 'timeout' | 'error'; mode: 'fail_open' | 'fail_closed' | 'degrade' }[]; reason?: "
      "string; quorum: { n: number; counted: number; passes: number; flags: number }; probability?: number; logit?: "
      "number; votes: (" FLK_TS_VOTE " & { vote: 'pass' | 'flag' | 'unsure' | 'none'; contribution: number | null "
      "})[]; latency_us: number; clock: 'modeled' | 'measured'; params_id: string }";
  const char* req = req_in.c_str();
  t.push_back({"ensemble.pcs_recompute", "Voter: the PCS verifier's own D-hat / budget recompute (0 accepted, 0.5 escalated, 1 rejected).",
               req, FLK_TS_VOTE, op_voter<&kPcs>});
  t.push_back({"ensemble.risk", "Voter: the risk scorer's calibrated probability (the default HRS model).", req, FLK_TS_VOTE,
               op_voter<&kRisk>});
  t.push_back({"ensemble.grounding", "Voter: 1 - mean sentence support of the answer by the context (the HRS alignment).",
               req, FLK_TS_VOTE, op_voter<&kGrounding>});
  t.push_back({"ensemble.citation_overlap",
               "Voter: share of citations whose claim and cited passage have word 3-gram Jaccard below the learned threshold.",
               req, FLK_TS_VOTE, op_voter<&kCitation>});
  t.push_back({"ensemble.micro_vote", "Voter: a small logistic model over character n-gram features the risk scorer does not read.",
               req, FLK_TS_VOTE, op_voter<&kMicro>});
  t.push_back({"ensemble.self_consistency",
               "Voter: SelfCheckGPT-style inconsistency of the answer's sentences with caller-supplied samples.", req,
               FLK_TS_VOTE, op_voter<&kSelf>});
  t.push_back({"ensemble.host_vote", "Voter: a host-computed result (LLM judge, NLI service) checked against its own timeout.",
               "{ host_vote: { name: string; status?: 'ok' | 'timeout' | 'error'; score?: number; latency_us: number; "
               "timeout_us?: number; message?: string } }",
               FLK_TS_VOTE, op_host});
  t.push_back({"ensemble.verify",
               "One decision (accept / escalate / reject) from the policy's voters: failure modes, N-of-M or the stacker, "
               "every voter's contribution.",
               verify_in.c_str(), verify_out.c_str(), op_verify});
}

void add_ensemble_training_ops(std::vector<OpSpec>& t) {
  t.push_back({"ensemble.eval",
               "Grouped-CV measurement of the risk scorer alone against the ensemble at an escalation budget, and the "
               "parameters fitted on all examples.",
               "{ examples: { id?: string; source?: string; task?: string; question?: string; context?: string; answer: "
               "string; label: 0 | 1 }[]; folds?: number; seed?: number; budget?: number }",
               "{ budget: number; folds: number; sets: Record<string, Record<string, unknown>>; params: Record<string, "
               "unknown> }",
               op_eval});
}

}  // namespace flk
