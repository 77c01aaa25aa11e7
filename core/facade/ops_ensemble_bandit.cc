// The per-tenant adaptation ops (docs/ensemble.md, "Adaptive per tenant"): ensemble.bandit.choose
// and ensemble.bandit.update (Thompson sampling over configurations, the state as JSON a host
// stores), and ensemble.agreement (how often each pair of voters agrees, foldable counters).
#include <map>

#include "ensemble/bandit.h"
#include "facade/bandit_input.h"
#include "facade/registry.h"
#include "json/fields.h"

#define FLK_TS_BANDIT_STATE "{ arms: Record<string, { alpha: number; beta: number; pulls: number; cost_sum: number }> }"
#define FLK_TS_AGREEMENT                                                                                      \
  "{ pairs: { a: string; b: string; both: number; agree: number; rate: number | null }[]; both: number; " \
  "agree: number; agreement_ratio: number | null }"

namespace flk {
namespace {

using ensemble::ArmState;
using bandit_io::read_name;
using bandit_io::read_state;
using bandit_io::state_json;
using json::ObjectReader;

constexpr size_t kMaxAgreementPairs = 128;
constexpr size_t kMaxAgreementDecisions = 10000;
constexpr size_t kMaxVotesPerDecision = 16;

// {arms: [{name, ...its configuration}], state?, key}: the arm whose Beta draw is largest. The
// arms' other keys are their configuration, echoed back as `config`; an arm without state
// starts at the Beta(1, 1) prior, and state for arms not listed is ignored.
Result<json::Value> op_choose(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* arms_v, r.required("arms"));
  const json::Value* state_v = r.optional("state");
  FLK_ASSIGN(std::string key, r.string("key", 4096));
  FLK_TRY(r.finish());
  FLK_ASSIGN(bandit_io::Arms list, bandit_io::read_arms(*arms_v, r.path_of("arms")));
  std::vector<ArmState> stored;
  if (state_v) {
    FLK_ASSIGN(stored, read_state(*state_v, r.path_of("state")));
  }
  const std::vector<ArmState> arms = bandit_io::with_state(list.names, stored);
  ensemble::Choice c = ensemble::choose(arms, key);
  json::Value out = json::Value::object();
  out.set("arm", arms[c.arm].name).set("index", static_cast<int64_t>(c.arm)).set("config", std::move(list.configs[c.arm]));
  out.set("draws", bandit_io::draws_json(arms, c));
  return out;
}

// {state?, arm, label, decision, cost?, cost_scale?, cost_weight?, discount?}: the new state and
// the reward the label gave.
Result<json::Value> op_update(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, ObjectReader::open(in, "$"));
  std::vector<ArmState> arms;
  if (const json::Value* s = r.optional("state")) {
    FLK_ASSIGN(arms, read_state(*s, r.path_of("state")));
  }
  FLK_ASSIGN(const json::Value* arm_v, r.required("arm"));
  FLK_ASSIGN(std::string arm, read_name(*arm_v, r.path_of("arm")));
  FLK_ASSIGN(int64_t label, r.integer("label", 0, 1));
  FLK_ASSIGN(bool accepted, r.choice<bool>("decision", {{"accept", true}, {"escalate", false}, {"reject", false}}));
  FLK_ASSIGN(auto cost, r.opt_number("cost", {0, 1e15}));
  FLK_ASSIGN(auto scale, r.opt_number("cost_scale", {1e-12, 1e15}));
  FLK_ASSIGN(auto weight, r.opt_number("cost_weight", {0, 1}));
  FLK_ASSIGN(auto discount, r.opt_number("discount", {0.5, 1}));
  FLK_TRY(r.finish());
  size_t index = arms.size();
  for (size_t i = 0; i < arms.size(); ++i)
    if (arms[i].name == arm) index = i;
  if (index == arms.size()) {
    if (arms.size() == ensemble::kMaxArms)
      return make_error("too_large", r.path_of("arm") + ": the state already holds 8 arms", r.path_of("arm"));
    ArmState a;
    a.name = arm;
    arms.push_back(std::move(a));
  }
  const bool right = label == 1 ? !accepted : accepted;
  const double nc = ensemble::normalised_cost(cost.value_or(0), scale.value_or(1));
  const double rw = ensemble::reward(right, nc, weight.value_or(0));
  ensemble::update(arms, index, rw, nc, discount.value_or(1));
  json::Value out = json::Value::object();
  out.set("state", state_json(arms)).set("right", right).set("reward", rw).set("normalised_cost", nc);
  return out;
}

struct PairCount {
  int64_t both = 0, agree = 0;
};
using Pairs = std::map<std::pair<std::string, std::string>, PairCount>;

Status read_counts(const json::Value& v, const std::string& path, Pairs& pairs) {
  FLK_ASSIGN(auto r, ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* list, r.required("pairs"));
  for (const char* total : {"both", "agree", "agreement_ratio"}) r.optional(total);  // recomputed from the pairs
  FLK_TRY(r.finish());
  const std::string lp = r.path_of("pairs");
  if (!list->is_array()) return json::wrong_type(lp, "array", *list);
  if (list->as_array().size() > kMaxAgreementPairs) return make_error("too_large", lp + " holds at most 128 pairs", lp);
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    FLK_ASSIGN(auto p, ObjectReader::open(list->as_array()[i], json::index_path(lp, i)));
    FLK_ASSIGN(std::string a, p.string("a", 80));
    FLK_ASSIGN(std::string b, p.string("b", 80));
    FLK_ASSIGN(int64_t both, p.integer("both", 0, int64_t{1} << 53));
    FLK_ASSIGN(int64_t agree, p.integer("agree", 0, both));
    p.optional("rate");  // recomputed
    FLK_TRY(p.finish());
    if (!(a < b)) return make_error("bad_format", p.path() + ": a must sort before b", p.path());
    PairCount& c = pairs[{a, b}];
    c.both += both;
    c.agree += agree;
  }
  return Ok{};
}

// Only pass and flag votes take part: an unsure vote or a voter that did not answer neither
// agrees nor disagrees. Other keys of each vote are ignored, so ensemble.verify's votes go in as
// they are.
Status add_decision(const json::Value& v, const std::string& path, Pairs& pairs) {
  FLK_ASSIGN(auto r, ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* votes, r.required("votes"));
  FLK_TRY(r.finish());
  const std::string vp = r.path_of("votes");
  if (!votes->is_array()) return json::wrong_type(vp, "array", *votes);
  if (votes->as_array().size() > kMaxVotesPerDecision) return make_error("too_large", vp + " holds at most 16 votes", vp);
  std::vector<std::pair<std::string, bool>> cast;  // voter, flagged
  for (size_t i = 0; i < votes->as_array().size(); ++i) {
    const json::Value& x = votes->as_array()[i];
    const std::string p = json::index_path(vp, i);
    if (!x.is_object()) return json::wrong_type(p, "object", x);
    const json::Value* name = x.find("voter");
    const json::Value* kind = x.find("vote");
    if (!name || !kind) return make_error("missing_field", p + " needs voter and vote", p);
    FLK_ASSIGN(std::string voter, json::read_string(*name, json::join_path(p, "voter"), 80));
    FLK_ASSIGN(std::string k, json::read_string(*kind, json::join_path(p, "vote"), 16));
    if (k != "pass" && k != "flag" && k != "unsure" && k != "none")
      return make_error("out_of_range", json::join_path(p, "vote") + " must be pass, flag, unsure or none", json::join_path(p, "vote"));
    if (k == "pass" || k == "flag") cast.emplace_back(voter, k == "flag");
  }
  for (size_t i = 0; i < cast.size(); ++i)
    for (size_t j = i + 1; j < cast.size(); ++j) {
      auto key = cast[i].first < cast[j].first ? std::make_pair(cast[i].first, cast[j].first)
                                               : std::make_pair(cast[j].first, cast[i].first);
      if (key.first == key.second) continue;
      PairCount& c = pairs[key];
      c.both += 1;
      c.agree += cast[i].second == cast[j].second ? 1 : 0;
    }
  if (pairs.size() > kMaxAgreementPairs) return make_error("too_large", path + ": more than 128 voter pairs", path);
  return Ok{};
}

// {decisions: [{votes: [{voter, vote}]}], counts?}: counts (a previous answer) plus the pairs in
// these decisions.
Result<json::Value> op_agreement(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, ObjectReader::open(in, "$"));
  FLK_ASSIGN(const json::Value* decisions, r.required("decisions"));
  const json::Value* counts = r.optional("counts");
  FLK_TRY(r.finish());
  Pairs pairs;
  if (counts) FLK_TRY(read_counts(*counts, r.path_of("counts"), pairs));
  const std::string dp = r.path_of("decisions");
  if (!decisions->is_array()) return json::wrong_type(dp, "array", *decisions);
  if (decisions->as_array().size() > kMaxAgreementDecisions)
    return make_error("too_large", dp + " holds at most 10000 decisions", dp);
  for (size_t i = 0; i < decisions->as_array().size(); ++i)
    FLK_TRY(add_decision(decisions->as_array()[i], json::index_path(dp, i), pairs));
  json::Value list = json::Value::array();
  int64_t both = 0, agree = 0;
  for (const auto& [k, c] : pairs) {
    json::Value o = json::Value::object();
    o.set("a", k.first).set("b", k.second).set("both", c.both).set("agree", c.agree);
    o.set("rate", c.both ? json::Value(static_cast<double>(c.agree) / c.both) : json::Value());
    list.push(std::move(o));
    both += c.both;
    agree += c.agree;
  }
  json::Value out = json::Value::object();
  out.set("pairs", std::move(list)).set("both", both).set("agree", agree);
  out.set("agreement_ratio", both ? json::Value(static_cast<double>(agree) / both) : json::Value());
  return out;
}

}  // namespace

void add_ensemble_bandit_ops(std::vector<OpSpec>& t) {
  t.push_back({"ensemble.bandit.choose",
               "Thompson sampling over ensemble configurations: the arm with the largest Beta draw, seeded by SHA-256 of key.",
               "{ arms: ({ name: string } & Record<string, unknown>)[]; state?: " FLK_TS_BANDIT_STATE "; key: string }",
               "{ arm: string; index: number; config: Record<string, unknown>; draws: Record<string, number> }", op_choose});
  t.push_back({"ensemble.bandit.update",
               "A label's reward (right decision minus weighted cost, in [0, 1]) added to an arm's Beta posterior, with discount.",
               "{ state?: " FLK_TS_BANDIT_STATE "; arm: string; label: 0 | 1; decision: 'accept' | 'escalate' | 'reject'; "
               "cost?: number; cost_scale?: number; cost_weight?: number; discount?: number }",
               "{ state: " FLK_TS_BANDIT_STATE "; right: boolean; reward: number; normalised_cost: number }", op_update});
  t.push_back({"ensemble.agreement",
               "Per voter pair, how often their pass / flag votes agree over decisions (counters that fold).",
               "{ decisions: { votes: { voter: string; vote: 'pass' | 'flag' | 'unsure' | 'none' }[] }[]; counts?: " FLK_TS_AGREEMENT " }",
               FLK_TS_AGREEMENT, op_agreement});
}

}  // namespace flk
