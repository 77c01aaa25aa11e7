// Group commit under store faults, on SQLite and PostgreSQL: a store (wrapped to inject faults
// at its interface) that refuses one write of a batch fails that write alone, and a store that
// is down fails every write as unavailable.
#include <gtest/gtest.h>

#include <future>

#include "app/batcher.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::TempDir;

// Passes everything to the real store, except: apply() fails any transaction holding a write
// whose id is poison_id, or every transaction (and ping) while down; and the first apply()
// waits for the gate, so the test can queue the next writes into one batch.
class FaultyStore final : public Store {
 public:
  explicit FaultyStore(Store& real) : real_(real), gate_(opened_.get_future().share()) {}
  std::string poison_id;
  std::atomic<bool> down{false};
  void open_gate() { opened_.set_value(); }

  const char* kind() const override { return real_.kind(); }
  Status apply(std::vector<Write*>& batch, const AuditLinker& link) override {
    if (!gated_.exchange(true)) gate_.wait();
    if (down) return make_error("store_error", "injected: connection refused");
    for (Write* w : batch)
      if (w->id == poison_id) return make_error("store_error", "injected: write refused");
    return real_.apply(batch, link);
  }
  Status transact(bool durable, const std::function<Status(Tx&)>& fn) override { return real_.transact(durable, fn); }
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

INSTANTIATE_TEST_SUITE_P(Both, BatcherFaultTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
