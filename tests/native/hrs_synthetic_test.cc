// FactCC-style synthetic rows (synthetic.h) and the interval's grounding term (interval.h).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "hrs/interval.h"
#include "hrs/synthetic.h"

using namespace flk::hrs;

namespace {

const char* kContext =
    "The Lakers won the final against Boston in June 2010 before a large crowd. "
    "He told Reuters the team was ready for the season.";

}  // namespace

TEST(HrsSynthetic, EvenSeedsKeepOrRewordOddSeedsCorrupt) {
  std::set<Swap> kinds;
  for (uint64_t seed = 0; seed < 4096; seed += 7) {
    SyntheticAnswer s;
    ASSERT_TRUE(synthetic_answer(kContext, seed, s));
    EXPECT_EQ(s.label, static_cast<int>(seed % 2));
    EXPECT_EQ(s.label == 0, s.swap == Swap::None || s.swap == Swap::Synonym);
    EXPECT_EQ(s.answer.back(), '.');
    kinds.insert(s.swap);
  }
  for (Swap k : {Swap::Entity, Swap::Number, Swap::Month, Swap::Negation, Swap::Antonym, Swap::Pronoun})
    EXPECT_TRUE(kinds.count(k)) << swap_name(k);
}

TEST(HrsSynthetic, EachSwapChangesOneThing) {
  std::set<std::string> answers;
  for (uint64_t seed = 0; seed < 4096; ++seed) {
    SyntheticAnswer s;
    ASSERT_TRUE(synthetic_answer(kContext, seed, s));
    answers.insert(std::string(swap_name(s.swap)) + ": " + s.answer);
  }
  for (const char* a : {
           "antonym: The Lakers lost the final against Boston in June 2010 before a large crowd.",
           "entity: The Reuters won the final against Boston in June 2010 before a large crowd.",
           "month: The Lakers won the final against Boston in July 2010 before a large crowd.",
           "negation: He told Reuters the team was not ready for the season.",
           "number: The Lakers won the final against Boston in June 2011 before a large crowd.",
           "pronoun: She told Reuters the team was ready for the season.",
       })
    EXPECT_TRUE(answers.count(a)) << a;
  SyntheticAnswer none;
  EXPECT_FALSE(synthetic_answer("Too short.", 1, none));  // no sentence of 6 to 40 tokens
}

TEST(HrsInterval, GroundingTermReachesTheLabelsSide) {
  Calibrator identity;  // Platt a = 1, b = 0: probability = sigmoid(logit), 0.5 at logit 0
  // Closed-book: every logit within 0.4 of 0 and half of them on the wrong side; grounded:
  // confident and right. Both with no member spread.
  std::vector<double> logit, spread;
  std::vector<int> label, fold;
  std::vector<uint8_t> grounded;
  for (int i = 0; i < 200; ++i) {
    bool g = i % 2;
    double z = g ? (i % 4 == 1 ? 3.0 : -3.0) : 0.1 + 0.3 * (i % 10) / 10.0;
    logit.push_back(z);
    spread.push_back(0);
    label.push_back(g ? z > 0 : (i / 2) % 2);
    grounded.push_back(g);
    fold.push_back(i % 5);
  }
  GroundingFit f = fit_grounding(std::vector<const Calibrator*>(200, &identity), logit, spread, label, grounded, fold, 5);
  EXPECT_EQ(f.examples[0], 100u);
  EXPECT_EQ(f.sd[1], 0);  // always on the right side: no widening
  EXPECT_EQ(f.coverage_before[1], 1);
  EXPECT_NEAR(f.coverage_before[0], 0.5, 0.01);
  EXPECT_GE(f.coverage_after[0], 0.9);
  // The widest wrong-side logit, 0.37, must be reached: g >= 0.37 / 1.96 for 95 % of them.
  EXPECT_GT(f.sd[0], 0.3 / kIntervalZ);
  EXPECT_GT(f.width_after[0], f.width_before[0]);
  EXPECT_DOUBLE_EQ(interval_half_width(3, 4), kIntervalZ * 5);
}
