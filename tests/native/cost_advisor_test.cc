#include <gtest/gtest.h>

#include "facade/engine.h"

namespace flk {
namespace {

std::string advise_ensemble(const std::string& runs, const std::string& cost_per_run) {
  Engine e;
  return e.call("cost.advise", R"({"ensemble":[{"check":"c","runs":)" + runs +
                                   R"(,"disagreements":0,"cost_per_run_usd":")" + cost_per_run + R"("}]})")
      .json;
}

// runs × cost per run and the ×30 monthly scaling once wrapped around int64 and answered a
// wrong total in every build.
TEST(Advisor, MoneyBeyondTheRangeIsOutOfRange) {
  const std::string err = R"({"error":{"code":"out_of_range","message":"the projected cost exceeds the money range","path":"$.ensemble[0]"}})";
  EXPECT_EQ(advise_ensemble("1125899906842624", "10000"), err);  // 2^50 runs × $10 000
  EXPECT_EQ(advise_ensemble("1099511627776", "0.001"), err);     // 2^40 × $0.001 fits; ×30 does not
}

TEST(Advisor, LargeMoneyWithinTheRangeIsAnswered) {
  // 2^40 × $0.0001 = $109 951 162.7776 in the window, 30 days: the monthly cost is the same.
  const std::string out = advise_ensemble("1099511627776", "0.0001");
  EXPECT_NE(out.find(R"("total_monthly_savings_usd":"109951162.7776")"), std::string::npos) << out;
}

}  // namespace
}  // namespace flk
