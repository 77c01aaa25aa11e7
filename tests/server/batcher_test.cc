// Group commit under store faults, on SQLite and PostgreSQL: a store (wrapped to inject faults
// at its interface) that refuses one write of a batch fails that write alone, a store that is
// down fails every write as unavailable, and a pre-emptive budget's forecast decision is audited
// by the first event whose transaction commits.
#include <gtest/gtest.h>

#include <future>

#include "app/batcher.h"
#include "app/budget.h"
#include "json/parse.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::TempDir;

// Passes everything to the real store, except: apply() fails any transaction holding a write
// whose id is poison_id, or every transaction (and ping) while down; the next failed_commits
// transactions roll back after their writes were applied (a commit that fails); and the first
// apply() waits for the gate, so the test can queue the next writes into one batch.
class FaultyStore final : public Store {
 public:
  explicit FaultyStore(Store& real) : real_(real), gate_(opened_.get_future().share()) {}
  std::string poison_id;
  std::atomic<bool> down{false};
  std::atomic<int> failed_commits{0};
  void open_gate() { opened_.set_value(); }

  const char* kind() const override { return real_.kind(); }
  Status apply(std::vector<Write*>& batch, const AuditLinker& link) override {
    if (!gated_.exchange(true)) gate_.wait();
    if (down) return make_error("store_error", "injected: connection refused");
    for (Write* w : batch)
      if (w->id == poison_id) return make_error("store_error", "injected: write refused");
    return Store::apply(batch, link);  // through transact() below
  }
  Status transact(bool durable, const std::function<Status(Tx&)>& fn) override {
    return real_.transact(durable, [&](Tx& tx) -> Status {
      FLK_TRY(fn(tx));
      if (failed_commits > 0) {
        --failed_commits;
        return make_error("store_error", "injected: commit failed");
      }
      return Ok{};
    });
  }
  Status read(const std::function<Status(Tx&)>& fn) override { return real_.read(fn); }
  Status ping() override { return down ? Status(make_error("store_error", "injected: down")) : real_.ping(); }
  Status checkpoint() override { return real_.checkpoint(); }

 private:
  Store& real_;
  std::promise<void> opened_;
  std::shared_future<void> gate_;
  std::atomic<bool> gated_{false};
};

struct Outcome {
  std::string id;
  Status status = Ok{};
  bool won = false;
};

class BatcherFaultTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    real_ = testing::fresh_store(GetParam(), dir_);
    ASSERT_NE(real_, nullptr);
    faulty_ = std::make_unique<FaultyStore>(*real_);
  }
  // Queues a gate write and then ids (one batch behind it), opens the gate, and waits for all.
  std::vector<Outcome> run(const std::vector<std::string>& ids) {
    Batcher b(*faulty_, metrics_);
    std::vector<std::promise<Outcome>> done(ids.size() + 1);
    std::vector<std::string> all = {"gate"};
    all.insert(all.end(), ids.begin(), ids.end());
    for (size_t i = 0; i < all.size(); ++i)
      b.submit(std::make_unique<VerdictWrite>(testing::verdict("acme", all[i], 200, "{\"n\":" + std::to_string(i) + "}")),
               [&done, i](Write& w, const Status& s) { done[i].set_value(Outcome{w.id, s, w.won}); });
    faulty_->open_gate();
    std::vector<Outcome> out;
    for (size_t i = 1; i < done.size(); ++i) out.push_back(done[i].get_future().get());
    done[0].get_future().wait();
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Store> real_;
  std::unique_ptr<FaultyStore> faulty_;
  Metrics metrics_;
};

TEST_P(BatcherFaultTest, OneRefusedWriteFailsAloneAndItsNeighboursAreStored) {
  faulty_->poison_id = "p4";
  const std::vector<Outcome> out = run({"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"});
  for (const Outcome& o : out) {
    if (o.id == "p4") {
      ASSERT_FALSE(o.status.ok());
      EXPECT_EQ(o.status.error().code, "store_error") << "the store is up: the write itself was refused";
      EXPECT_FALSE(pcs::verdict(*real_, "acme", "p4", 1500)->has_value());
      continue;
    }
    EXPECT_TRUE(o.status.ok()) << o.id << ": " << (o.status.ok() ? "" : o.status.error().message);
    EXPECT_TRUE(o.won) << o.id;
    EXPECT_TRUE(pcs::verdict(*real_, "acme", o.id, 1500)->has_value()) << o.id;
  }
  EXPECT_EQ(metrics_.store_retried_batches.value(), 1u) << "the 8 writes went as one transaction first";
  EXPECT_EQ(metrics_.store_rejected_writes.value(), 1u);
  EXPECT_EQ(metrics_.store_writes.value(), 8u) << "the gate and 7 neighbours";
  auto head = audit::head(*real_);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 8) << "the rolled-back transaction left no audit entry behind";
}

TEST_P(BatcherFaultTest, AStoreThatIsDownFailsEveryWriteAsUnavailable) {
  faulty_->down = true;
  for (const Outcome& o : run({"a", "b", "c"})) {
    ASSERT_FALSE(o.status.ok());
    EXPECT_EQ(o.status.error().code, "store_unavailable") << o.id;
  }
  EXPECT_EQ(metrics_.store_rejected_writes.value(), 0u);
}

// A tenant whose stored daily spend (10 USD on each of the 30 days before kNow's) projects its
// monthly window past a cap it has not reached: every event is a forecast decision ("degrade").
constexpr int64_t kNow = 1763900000000;  // 2025-11-23, the window's 23rd day
void forecasting_tenant(Store& store, const std::string& tenant) {
  auto policy = json::parse(R"({"cap_usd":"221","window":"monthly","preemptive":true,"actions":[{"at":"1","action":"deny"}]})");
  auto checked = check_budget(policy.value(), "$.budget");
  ASSERT_TRUE(checked.ok());
  TenantWrite t;
  t.tenant = tenant;
  t.budget_json = checked.value();
  testing::Batch b;
  b.add(std::move(t));
  ASSERT_TRUE(b.apply(store).ok());
  ASSERT_TRUE(store
                  .transact(true,
                            [&](Tx& tx) -> Status {
                              for (int32_t d = day_of(kNow) - 30; d < day_of(kNow); ++d)
                                FLK_TRY(tx.exec("INSERT INTO usage_spend (tenant, day, spent_nanos, events) VALUES (?1, "
                                                "?2, 10000000000, 1)",
                                                {tenant, static_cast<int64_t>(d)}));
                              return Ok{};
                            })
                  .ok());
}

// One usage event through the batcher, judged and settled as the usage route does.
Outcome charge(Batcher& b, const std::string& tenant, const std::string& id) {
  auto w = std::make_unique<UsageWrite>();
  w->tenant = tenant;
  w->id = id;
  w->status = 200;
  w->body = "{}";
  w->now_ms = kNow;
  w->expires_ms = kNow + 1000000;
  w->cost_nanos = 1000;
  auto judging = std::make_shared<Judging>();
  w->judge = [judging](const StoredBudget& budget, const SpendReader& spent, UsageWrite& w) {
    return judge_usage(budget, spent, w, *judging);
  };
  std::promise<Outcome> done;
  b.submit(std::move(w), [&done, judging](Write& w, const Status& s) {
    settle_judging(*judging, static_cast<UsageWrite&>(w), s);
    done.set_value(Outcome{w.id, s, w.won});
  });
  return done.get_future().get();
}

// The event ids of the forecast decisions in the audit chain.
std::vector<std::string> forecast_decisions(Store& store) {
  std::vector<std::string> out;
  for (const std::string& e : testing::all_entries(store)) {
    json::Value v = json::parse(e).value();
    if (v.find("type")->as_string() != "budget.decision") continue;
    EXPECT_EQ(v.find("data")->find("reason")->as_string(), "forecast_exceeds_hard_cap");
    out.push_back(v.find("data")->find("event_id")->as_string());
  }
  return out;
}

TEST_P(BatcherFaultTest, AForecastDecisionRetriedAfterAFailedCommitIsAudited) {
  const std::string tenant = "retried-" + GetParam();  // projections are cached per process
  forecasting_tenant(*real_, tenant);
  faulty_->open_gate();
  faulty_->failed_commits = 1;
  Batcher b(*faulty_, metrics_);
  const Outcome first = charge(b, tenant, "e1");
  ASSERT_TRUE(first.status.ok()) << first.status.error().message;
  EXPECT_TRUE(first.won);
  EXPECT_EQ(metrics_.store_retried_batches.value(), 1u) << "the first commit failed";
  EXPECT_EQ(forecast_decisions(*real_), std::vector<std::string>{"e1"}) << "the retry drafts the decision again";
  ASSERT_TRUE(charge(b, tenant, "e2").status.ok());
  EXPECT_EQ(forecast_decisions(*real_), std::vector<std::string>{"e1"}) << "once per projection";
}

TEST_P(BatcherFaultTest, AForecastDecisionThatNeverCommitsLeavesTheAuditToTheNext) {
  const std::string tenant = "refused-" + GetParam();
  forecasting_tenant(*real_, tenant);
  faulty_->open_gate();
  faulty_->failed_commits = 2;  // the batch, then the write alone
  Batcher b(*faulty_, metrics_);
  const Outcome failed = charge(b, tenant, "f1");
  ASSERT_FALSE(failed.status.ok());
  EXPECT_EQ(failed.status.error().code, "store_error");
  EXPECT_TRUE(forecast_decisions(*real_).empty());
  ASSERT_TRUE(charge(b, tenant, "f2").status.ok());
  EXPECT_EQ(forecast_decisions(*real_), std::vector<std::string>{"f2"});
  ASSERT_TRUE(charge(b, tenant, "f3").status.ok());
  EXPECT_EQ(forecast_decisions(*real_), std::vector<std::string>{"f2"});
}

INSTANTIATE_TEST_SUITE_P(Both, BatcherFaultTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
