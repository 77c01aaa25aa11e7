// Projections of spend (cost.budget.check, cost.advise, cost.forecast): how much of a history they read,
// and totals past the money range or the int64 range.
#include <gtest/gtest.h>

#include <string>

#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"

using namespace flk;

namespace {

// A monthly budget checked on 2026-12-05 (the 90 days before it start on 2026-09-06) with a daily
// history of `days` values from `start`, `day` days after 2026-09-06: a weekly pattern by date.
json::Value check(Engine& e, const std::string& start, int day, int days) {
  std::string values;
  for (int i = 0; i < days; ++i) values += std::string(i ? "," : "") + ((day + i + 700) % 7 < 5 ? "\"3\"" : "\"1\"");
  std::string in = R"({"tenant":"t","policy":{"window":"monthly","cap_usd":"1000"},"now":"2026-12-05T10:00:00Z",)"
                   R"("spent_usd":"10")";
  if (days) in += R"(,"history":{"start":)" + start + R"(,"values_usd":[)" + values + "]}";
  auto out = e.call_value("cost.budget.check", *json::parse(in + "}"));
  EXPECT_TRUE(out.ok()) << in << ": " << (out.ok() ? "" : out.error().message);
  return out.ok() ? *out : json::Value();
}

std::string projection(Engine& e, const std::string& start, int day, int days) {
  const json::Value out = check(e, start, day, days);
  const json::Value* p = out.find("projection");
  return p ? json::to_string(*p) : "none";
}

}  // namespace

// The projection reads the 90 days before today and pads the days after the history with zeros.
// Before, it kept the history's last 90 values wherever they lay and padded every day from there to
// today: a history of 1970 was forecast over 20,000 padded days, and one starting at -2^53 ms
// (104 million days) was killed after 60 s at 1.06 GB.
TEST(CostBudget, OnlyTheNinetyDaysBeforeTodayOfAHistoryAreRead) {
  Engine e;
  const std::string none = projection(e, "", 0, 0);
  EXPECT_NE(none.find("run rate"), std::string::npos) << none;
  // Histories that end before the 90 days give no forecast: the run rate, as without one.
  ASSERT_EQ(projection(e, "\"1970-01-01T00:00:00Z\"", 0, 14), none);
  EXPECT_EQ(projection(e, "\"2026-08-01T00:00:00Z\"", 0, 30), none);
  EXPECT_EQ(projection(e, "-9007199254740992", 0, 14), none);
  // A history that ends 30 days ago is read from 2026-09-06: the same as its 60 values from there.
  const std::string from_window = projection(e, "\"2026-09-06T00:00:00Z\"", 0, 60);
  EXPECT_NE(from_window.find("forecast"), std::string::npos) << from_window;
  EXPECT_EQ(projection(e, "\"2026-08-28T00:00:00Z\"", -9, 69), from_window);
  // One that ends yesterday: its last 90 values, as before.
  EXPECT_EQ(projection(e, "\"2026-07-28T00:00:00Z\"", -40, 130), projection(e, "\"2026-09-06T00:00:00Z\"", 0, 90));
}

// Projections past the money range (±9.2e9 USD) are past every cap, and cost.advise refuses to state
// them. The double was converted to int64 unchecked: $1e9 spent in the first hour of a month, or a
// history of $1e9 a day, projected -9223372036.854775808 USD and the budget allowed instead of
// degrading; cost.advise answered a forecast total of -9223372036.854775808 and caps of 0.00.
TEST(CostBudget, ProjectionsPastTheMoneyRangeAreAnsweredAsSuch) {
  Engine e;
  std::string days;
  for (int i = 0; i < 14; ++i) days += std::string(i ? "," : "") + "\"1000000000\"";
  for (const std::string& in :
       {std::string(R"({"tenant":"t","policy":{"window":"monthly","cap_usd":"9000000000"},"now":"2026-12-01T01:00:01Z",)"
                    R"("spent_usd":"1000000000"})"),
        R"({"tenant":"t","policy":{"window":"monthly","cap_usd":"9000000000"},"now":"2026-12-05T10:00:00Z",)"
        R"("spent_usd":"1","history":{"start":"2026-11-21T00:00:00Z","values_usd":[)" + days + "]}}"}) {
    auto out = e.call_value("cost.budget.check", *json::parse(in));
    ASSERT_TRUE(out.ok()) << in;
    EXPECT_EQ(out->find("reason")->as_string(), "forecast_exceeds_hard_cap") << json::to_string(*out);
    EXPECT_EQ(out->find("projection")->find("window_total_usd")->as_string(), "9223372036.854775807");
  }
  // Four calls of 2^40 + 2^40 gpt-4o tokens a day for 14 days ($55M a day) forecast over 366 days.
  std::string events;
  for (int d = 1; d <= 14; ++d)
    for (int k = 0; k < 4; ++k)
      events += std::string(events.empty() ? "" : ",") + R"({"event_id":"e)" + std::to_string(d * 4 + k) +
                R"(","tenant":"t","timestamp":"2026-11-)" + (d < 10 ? "0" : "") + std::to_string(d) +
                R"(T12:00:00Z","provider":"openai","model":"gpt-4o","usage":{"prompt_tokens":1099511627776,)"
                R"("completion_tokens":1099511627776}})";
  ASSERT_TRUE(e.call_value("cost.ledger.record", *json::parse(R"({"events":[)" + events + "]}")).ok());
  auto advice = e.call_value("cost.advise", *json::parse(R"({"tenant":"t","budget_horizon_days":366})"));
  ASSERT_FALSE(advice.ok()) << json::to_string(*advice);
  EXPECT_EQ(advice.error().code, "out_of_range");
  EXPECT_EQ(advice.error().path, "$.budget_horizon_days");
  EXPECT_TRUE(e.call_value("cost.advise", *json::parse(R"({"tenant":"t","budget_horizon_days":7})")).ok());
}

// cost.forecast accepts daily values up to 1e15 USD; rounding them to the micro-dollar converted
// value × 1e6 to int64 unchecked, so above 9.2e12 USD every mean, bound and total read
// -9223372036854.775.
TEST(CostBudget, ForecastsOfLargeValuesAreRoundedWithoutOverflow) {
  Engine e;
  std::string values;
  for (int i = 0; i < 14; ++i) values += std::string(i ? "," : "") + (i % 7 < 5 ? "1e15" : "5e14");
  auto out = e.call_value("cost.forecast", *json::parse(R"({"series":{"start":"2026-11-01","values_usd":[)" + values +
                                                        R"(]},"horizon":3})"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->find("history")->find("total_usd")->as_double(), 1.2e16);
  for (const json::Value& p : out->find("points")->as_array())
    for (const char* k : {"lower_usd", "mean_usd", "upper_usd"}) EXPECT_GT(p.find(k)->as_double(), 1e14) << k;
  EXPECT_GT(out->find("total_mean_usd")->as_double(), 3e14);
}
