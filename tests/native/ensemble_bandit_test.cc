// The per-tenant bandit: on simulated traffic with a known best arm it settles on that arm and
// keeps exploring the others; rewards are exactly as documented; the discount bounds the state;
// the ops are deterministic and reject bad input with typed errors.
#include <gtest/gtest.h>

#include "ensemble/bandit.h"
#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"

using namespace flk;
using namespace flk::ensemble;

namespace {

struct Simulation {
  std::vector<size_t> picks;
  std::vector<ArmState> arms;
};

// Each arm's decision is right with its own probability; the labels come from a generator
// independent of the bandit's (seeded differently), the keys are distinct request ids.
Simulation simulate(const std::vector<double>& p_right, int pulls, double discount, uint64_t world_seed) {
  Simulation s;
  for (size_t i = 0; i < p_right.size(); ++i) {
    ArmState a;
    a.name = "arm" + std::to_string(i);
    s.arms.push_back(a);
  }
  SeededRng world(world_seed);
  for (int t = 0; t < pulls; ++t) {
    const Choice c = choose(s.arms, "request-" + std::to_string(t));
    s.picks.push_back(c.arm);
    const bool right = world.uniform() < p_right[c.arm];
    update(s.arms, c.arm, reward(right, 0, 0), 0, discount);
  }
  return s;
}

double share(const std::vector<size_t>& picks, size_t arm, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; ++i) n += picks[i] == arm;
  return static_cast<double>(n) / (to - from);
}

// Three arms right 60 %, 70 % and 85 % of the time, 600 labelled requests, ten label streams:
// in nine the best arm gets more than 90 % of pulls 300-600 (mean over the ten 0.86); in one
// (seed 10) early bad luck keeps it at 8 pulls and the 70 % arm wins - Thompson sampling
// converges, but not within any fixed number of pulls. No arm is ever starved: each is pulled at
// least 5 times in every stream.
TEST(Bandit, SettlesOnTheBestArmAndKeepsExploring) {
  int settled = 0;
  double mean = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const Simulation s = simulate({0.6, 0.7, 0.85}, 600, 1, seed);
    const double late = share(s.picks, 2, 300, 600);
    settled += late > 0.9;
    mean += late / 10;
    for (const ArmState& a : s.arms) EXPECT_GE(a.pulls, 5u) << a.name << " seed " << seed;
  }
  EXPECT_EQ(settled, 9);
  EXPECT_GT(mean, 0.8);
}

// With a discount the posterior mass stays below 1 / (1 - discount) per arm, and the bandit
// still finds the best arm.
TEST(Bandit, DiscountBoundsTheStateAndStillLearns) {
  const Simulation s = simulate({0.6, 0.7, 0.85}, 2000, 0.99, 1);
  for (const ArmState& a : s.arms) EXPECT_LE(a.alpha + a.beta - 2, 100.0 + 1e-9) << a.name;
  EXPECT_GT(share(s.picks, 2, 1000, 2000), 0.6);
}

TEST(Bandit, RewardIsRightMinusWeightedCostClipped) {
  EXPECT_EQ(reward(true, 0.3, 0.2), 1 - 0.2 * 0.3);
  EXPECT_EQ(reward(false, 0.3, 0.2), 0.0);
  EXPECT_EQ(reward(true, 1, 1), 0.0);
  EXPECT_EQ(normalised_cost(500, 100), 1.0);
  EXPECT_EQ(normalised_cost(25, 100), 0.25);
  std::vector<ArmState> arms(2);
  update(arms, 1, 0.75, 0.25, 1);
  EXPECT_EQ(arms[1].alpha, 1.75);
  EXPECT_EQ(arms[1].beta, 1.25);
  EXPECT_EQ(arms[1].pulls, 1u);
  EXPECT_EQ(arms[0].alpha, 1.0);
}

TEST(Bandit, BetaDrawsHaveTheRightMean) {
  SeededRng rng(7);
  for (auto [a, b] : {std::pair{2.0, 5.0}, {0.5, 0.5}, {30.0, 3.0}}) {
    double sum = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      const double x = sample_beta(rng, a, b);
      ASSERT_GE(x, 0.0);
      ASSERT_LE(x, 1.0);
      sum += x;
    }
    EXPECT_NEAR(sum / n, a / (a + b), 0.01) << a << "," << b;
  }
}

json::Value call(Engine& e, const char* op, const std::string& in) {
  auto v = json::parse(in);
  EXPECT_TRUE(v.ok());
  auto r = e.call_value(op, *v);
  return r.ok() ? *r : json::Value(r.error().code + " " + r.error().path);
}

TEST(BanditOps, ChooseIsAFunctionOfStateAndKey) {
  Engine e;
  const std::string arms = R"({"arms":[{"name":"a","voters":["risk"]},{"name":"b","n":1}],)";
  const std::string state = R"("state":{"arms":{"a":{"alpha":1,"beta":40,"pulls":39,"cost_sum":0}}},)";
  auto x = call(e, "ensemble.bandit.choose", arms + state + R"("key":"k1"})");
  auto y = call(e, "ensemble.bandit.choose", arms + state + R"("key":"k1"})");
  EXPECT_EQ(json::to_string(x), json::to_string(y));
  EXPECT_EQ(x.find("arm")->as_string(), "b");  // a's posterior mean is 1/41
  EXPECT_EQ(json::to_string(*x.find("config")), R"({"n":1})");
  int differ = 0;
  for (int k = 0; k < 20; ++k) {
    auto z = call(e, "ensemble.bandit.choose", arms + R"("key":"k)" + std::to_string(k) + "\"}");
    differ += z.find("arm")->as_string() == "a";
  }
  EXPECT_GT(differ, 2);  // without state, both arms are picked
  EXPECT_LT(differ, 18);
}

TEST(BanditOps, TypedErrors) {
  Engine e;
  EXPECT_EQ(call(e, "ensemble.bandit.choose", R"({"arms":[],"key":"k"})").as_string(), "bad_length $.arms");
  EXPECT_EQ(call(e, "ensemble.bandit.choose", R"({"arms":[{"name":"a"},{"name":"a"}],"key":"k"})").as_string(),
            "duplicate_key $.arms[1].name");
  EXPECT_EQ(call(e, "ensemble.bandit.choose", R"({"arms":[{"name":"A"}],"key":"k"})").as_string(), "bad_format $.arms[0].name");
  EXPECT_EQ(call(e, "ensemble.bandit.update", R"({"arm":"a","label":2,"decision":"accept"})").as_string(),
            "out_of_range $.label");
  EXPECT_EQ(call(e, "ensemble.bandit.update", R"({"arm":"a","label":1,"decision":"maybe"})").as_string(),
            "out_of_range $.decision");
  EXPECT_EQ(call(e, "ensemble.bandit.update",
                 R"({"state":{"arms":{"a":{"alpha":0,"beta":1,"pulls":0,"cost_sum":0}}},"arm":"a","label":1,"decision":"accept"})")
                .as_string(),
            "out_of_range $.state.arms.a.alpha");
  std::string nine = R"({"state":{"arms":{)";
  for (int i = 0; i < 9; ++i) nine += (i ? "," : "") + std::string("\"a") + std::to_string(i) + R"(":{"alpha":1,"beta":1,"pulls":0,"cost_sum":0})";
  EXPECT_EQ(call(e, "ensemble.bandit.update", nine + R"(}},"arm":"a0","label":1,"decision":"accept"})").as_string(),
            "too_large $.state.arms");
}

TEST(BanditOps, UpdateCountsRightDecisions) {
  Engine e;
  auto u = call(e, "ensemble.bandit.update", R"({"arm":"a","label":0,"decision":"escalate"})");
  EXPECT_FALSE(u.find("right")->as_bool());  // a faithful answer sent to review is a miss
  u = call(e, "ensemble.bandit.update", R"({"arm":"a","label":1,"decision":"escalate","cost":50,"cost_scale":100,"cost_weight":0.5})");
  EXPECT_TRUE(u.find("right")->as_bool());
  EXPECT_EQ(u.find("reward")->as_double(), 0.75);
}

TEST(BanditOps, AgreementFolds) {
  Engine e;
  const std::string d1 = R"({"votes":[{"voter":"risk","vote":"flag"},{"voter":"grounding","vote":"flag"},{"voter":"micro_vote","vote":"unsure"}]})";
  const std::string d2 = R"({"votes":[{"voter":"risk","vote":"pass"},{"voter":"grounding","vote":"flag","score":0.9}]})";
  auto both = call(e, "ensemble.agreement", "{\"decisions\":[" + d1 + "," + d2 + "]}");
  auto first = call(e, "ensemble.agreement", "{\"decisions\":[" + d1 + "]}");
  auto folded = call(e, "ensemble.agreement", "{\"decisions\":[" + d2 + "],\"counts\":" + json::to_string(first) + "}");
  EXPECT_EQ(json::to_string(both), json::to_string(folded));
  EXPECT_EQ(both.find("agreement_ratio")->as_double(), 0.5);
  EXPECT_EQ(both.find("both")->as_int(), 2);
}

}  // namespace
