// Ledger idempotency and grouping, resource spans, budget decisions.
#include <gtest/gtest.h>

#include "cost/budget.h"
#include "cost/ledger.h"
#include "cost/spans.h"
#include "util/civil_time.h"

using namespace flk;
using namespace flk::cost;

namespace {

LedgerEvent event(const std::string& id, const std::string& tenant, const std::string& model, int64_t day, Nanos input,
                  bool verified, Labels labels = {}) {
  LedgerEvent e;
  e.event_id = id;
  e.tenant = tenant;
  e.provider = "openai";
  e.model = model;
  e.task = "rag_query";
  e.timestamp_ms = day * kMsPerDay + 3600000;
  e.cost[static_cast<int>(Dim::input)] = input;
  e.quantity[static_cast<int>(Dim::input)] = 1000;
  e.verified = verified;
  e.labels = std::move(labels);
  return e;
}

}  // namespace

TEST(Ledger, IdempotentByEventIdAndConflictsAreNotCharged) {
  Ledger l;
  EXPECT_EQ(*l.record(event("a", "t1", "gpt-4o", 100, 1000, true)), Recorded::recorded);
  EXPECT_EQ(*l.record(event("a", "t1", "gpt-4o", 100, 1000, true)), Recorded::duplicate);
  EXPECT_EQ(*l.record(event("a", "t1", "gpt-4o", 100, 999, true)), Recorded::conflict);
  // Labels in another order are the same event.
  EXPECT_EQ(*l.record(event("b", "t1", "gpt-4o", 100, 10, false, {{"x", "1"}, {"y", "2"}})), Recorded::recorded);
  EXPECT_EQ(*l.record(event("b", "t1", "gpt-4o", 100, 10, false, {{"y", "2"}, {"x", "1"}})), Recorded::duplicate);
  Totals t = l.total({});
  EXPECT_EQ(t.total(), 1010);
  EXPECT_EQ(t.events, 2);
  EXPECT_EQ(t.trusted, 1);
}

TEST(Ledger, BatchesRecordExactlyAsEventByEvent) {
  // Enough events over enough cells that the tables grow inside the batch, with repeats and
  // conflicts both far apart and inside the look-ahead window.
  std::vector<LedgerEvent> events;
  for (int i = 0; i < 5000; ++i) {
    int id = i % 7 == 3 ? i - 3 : i % 11 == 5 ? i - 40 : i;
    Nanos input = i % 13 == 0 ? 7 : 100 + id;
    events.push_back(event("e" + std::to_string(id < 0 ? i : id), "t" + std::to_string(id % 50), "gpt-4o", 100 + id % 30,
                           input, id % 2 == 0, {{"team", std::to_string(id % 3)}}));
  }
  Ledger one, batch;
  std::vector<Recorded> got;
  ASSERT_TRUE(batch.record_batch(events, &got).ok());
  ASSERT_EQ(got.size(), events.size());
  int counts[3] = {0, 0, 0};
  for (size_t i = 0; i < events.size(); ++i) {
    auto r = one.record(events[i]);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(got[i], *r) << i;
    ++counts[static_cast<int>(*r)];
  }
  EXPECT_GT(counts[1], 0);
  EXPECT_GT(counts[2], 0);
  EXPECT_EQ(batch.events(), one.events());
  EXPECT_EQ(batch.cells(), one.cells());
  auto a = one.query({{GroupBy::tenant, {}}, {GroupBy::day, {}}, {GroupBy::label, "team"}}, {});
  auto b = batch.query({{GroupBy::tenant, {}}, {GroupBy::day, {}}, {GroupBy::label, "team"}}, {});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key, b[i].key);
    EXPECT_EQ(a[i].totals.total(), b[i].totals.total());
    EXPECT_EQ(a[i].totals.events, b[i].totals.events);
  }
}

TEST(Ledger, GroupsByAnyKeyAndFiltersByDayAndLabel) {
  Ledger l;
  ASSERT_TRUE(l.record(event("1", "t1", "gpt-4o", 100, 100, true, {{"team", "a"}})).ok());
  ASSERT_TRUE(l.record(event("2", "t1", "gpt-4o-mini", 100, 10, true, {{"team", "b"}})).ok());
  ASSERT_TRUE(l.record(event("3", "t2", "gpt-4o", 101, 200, false, {{"team", "a"}})).ok());
  ASSERT_TRUE(l.record(event("4", "t2", "gpt-4o", 131, 300, true)).ok());
  auto rows = l.query({{GroupBy::tenant, {}}, {GroupBy::model, {}}}, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, (std::vector<std::string>{"t1", "gpt-4o"}));
  EXPECT_EQ(rows[2].key, (std::vector<std::string>{"t2", "gpt-4o"}));
  EXPECT_EQ(rows[2].totals.total(), 500);
  Filter byteam;
  byteam.labels = {{"team", "a"}};
  EXPECT_EQ(l.total(byteam).total(), 300);
  auto teams = l.query({{GroupBy::label, "team"}}, {});
  ASSERT_EQ(teams.size(), 3u);  // "", "a", "b"
  EXPECT_EQ(teams[0].key[0], "");
  EXPECT_EQ(teams[0].totals.total(), 300);
  Filter days;
  days.from_day = 100;
  days.to_day = 102;
  EXPECT_EQ(l.total(days).total(), 310);
  EXPECT_EQ(l.daily({}, 100, 103), (std::vector<Nanos>{110, 200, 0}));
  auto months = l.query({{GroupBy::month, {}}}, {});
  ASSERT_EQ(months.size(), 2u);  // day 100 = 1970-04-11, day 131 = 1970-05-12
  EXPECT_EQ(months[1].key[0], "1970-05");
}

TEST(Spans, ReferencePricesRollUpAndCyclesAreRejected) {
  ResourcePrices p;
  std::vector<Span> spans(3);
  spans[0].span_id = "root";
  spans[0].end_ms = 3600000;
  spans[0].usage.compute_ms = 250;  // 2.5 × $0.0001
  spans[1].span_id = "child";
  spans[1].parent_span_id = "root";
  spans[1].end_ms = 3600000;
  spans[1].usage.storage_bytes[0] = int64_t{1} << 30;  // 1 GiB hot for 1 h: 0.023 / 720
  spans[1].usage.network_bytes = int64_t{1} << 29;     // 0.5 GiB × $0.09
  spans[2].span_id = "grandchild";
  spans[2].parent_span_id = "child";
  spans[2].usage.anchoring_ops[static_cast<int>(Anchor::ethereum)] = 1;
  auto c = cost_spans(spans, p);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ((*c)[0].self.compute, 250000);
  EXPECT_EQ((*c)[1].self.storage, 31944);  // 31,944.4… nano-dollars
  EXPECT_EQ((*c)[1].self.network, 45000000);
  EXPECT_EQ((*c)[2].self.anchoring, 2000000000);
  EXPECT_EQ((*c)[0].subtree, 250000 + 31944 + 45000000 + 2000000000);
  EXPECT_EQ((*c)[2].depth, 2);
  spans[0].parent_span_id = "grandchild";
  EXPECT_EQ(cost_spans(spans, p).error().code, "bad_span");
  EXPECT_EQ(cost_spans(spans, p).error().path, "[0].parent_span_id");  // the facade puts $.spans before it
  spans[0].parent_span_id = "nobody";
  EXPECT_EQ(cost_spans(spans, p).error().code, "bad_span");
  spans[0].parent_span_id.clear();
  spans[2].end_ms = spans[2].start_ms - 1;
  EXPECT_EQ(cost_spans(spans, p).error().path, "[2].end");
}

TEST(Budget, EveryDecisionHasItsReason) {
  BudgetPolicy p;
  p.cap = 100000000000;  // $100
  p.actions = default_actions();
  p.degrade_models = {{"gpt-4o", "gpt-4o-mini"}};
  ASSERT_TRUE(validate(p).ok());
  auto d = decide(p, 10000000000, 0, "gpt-4o", std::nullopt);
  EXPECT_EQ(d.action, "allow");
  EXPECT_EQ(d.reason, "under_soft_cap");
  d = decide(p, 69999999999, 1, "gpt-4o", std::nullopt);  // exactly 70 % after the request
  EXPECT_EQ(d.action, "degrade");
  EXPECT_EQ(d.reason, "soft_cap_reached");
  EXPECT_EQ(d.degrade_model.value_or(""), "gpt-4o-mini");
  d = decide(p, 95000000000, 0, "x", std::nullopt);
  EXPECT_EQ(d.action, "throttle");
  d = decide(p, 99000000000, 2000000000, "x", std::nullopt);
  EXPECT_EQ(d.action, "deny");
  EXPECT_EQ(d.reason, "request_would_exceed_hard_cap");
  d = decide(p, 100000000000, 0, "x", std::nullopt);
  EXPECT_EQ(d.reason, "hard_cap_reached");
  EXPECT_NE(d.message.find("$100.00"), std::string::npos);
  Projection pr{150000000000, 5 * kMsPerDay, "test"};
  d = decide(p, 10000000000, 0, "gpt-4o", pr);
  EXPECT_EQ(d.action, "degrade");
  EXPECT_EQ(d.reason, "forecast_exceeds_hard_cap");
  p.preemptive = false;
  EXPECT_EQ(decide(p, 10000000000, 0, "gpt-4o", pr).action, "allow");
  p.actions.pop_back();
  EXPECT_FALSE(validate(p).ok());
}

TEST(Budget, WindowsAreCalendarAligned) {
  const int64_t t = parse_timestamp_ms("2025-07-16T13:00:00Z").value();  // a Wednesday
  EXPECT_EQ(format_timestamp(window_bounds(Window::daily, t).first), "2025-07-16T00:00:00Z");
  EXPECT_EQ(format_timestamp(window_bounds(Window::weekly, t).first), "2025-07-14T00:00:00Z");
  EXPECT_EQ(format_timestamp(window_bounds(Window::monthly, t).second), "2025-08-01T00:00:00Z");
}
