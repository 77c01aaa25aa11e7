// The daily reconciliation's schedule under an injected clock: not before the hour, once per UTC
// day at the first check at or after it, again the next day; off with hour -1.
#include "app/reconcile_schedule.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "test_stores.h"

namespace flk::server {
namespace {

constexpr int64_t kDay = 86400000, kHour = 3600000;
constexpr int64_t kMidnight = 1763856000000;  // 2025-11-23T00:00Z

TEST(ReconcileSchedule, RunsOncePerDayAtOrAfterItsHour) {
  testing::TempDir dir;
  App app;
  app.store = testing::fresh_store("sqlite", dir);
  ASSERT_NE(app.store, nullptr);
  int64_t now = kMidnight + 5 * kHour;
  // A check interval longer than the test: only the first check runs by itself (at 05:00, too early).
  ReconcileSchedule s(app, 6, 3, [&now] { return now; }, 1000 * kDay);
  EXPECT_FALSE(s.due(now));
  now = kMidnight + 6 * kHour - 1;
  EXPECT_FALSE(s.due(now));
  now = kMidnight + 6 * kHour;
  EXPECT_TRUE(s.due(now));
  EXPECT_EQ(s.check(), 0) << "no tenant has a bill";
  EXPECT_FALSE(s.due(now + 17 * kHour)) << "once a day";
  now = kMidnight + kDay + 2 * kHour;
  EXPECT_FALSE(s.due(now)) << "the next day, not before the hour";
  now = kMidnight + kDay + 23 * kHour;
  EXPECT_TRUE(s.due(now)) << "a day missed at its hour runs at the next check";
  s.stop();
  ReconcileSchedule off(app, -1, 3, [&now] { return now; });
  EXPECT_FALSE(off.due(now));
}

}  // namespace
}  // namespace flk::server
