// The anomaly tables on SQLite and PostgreSQL: events are first-write-wins per (tenant,
// event_id), audited, read per tenant in (created_ms, event_id) order from a cursor and purged
// once expired; state documents are replaced by the last write.
#include <gtest/gtest.h>

#include "app/facade.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::TempDir;

Write event(const std::string& tenant, const std::string& id, int64_t now, const std::string& body = "{}") {
  Write w;
  w.kind = Write::Kind::anomaly_event;
  w.tenant = tenant;
  w.id = id;
  w.status = 200;
  w.body = body;
  w.now_ms = now;
  w.expires_ms = now + 1000000;
  w.audit = AuditDraft{"anomaly.detected", tenant, json::Value::object().set("event_id", id), now};
  return w;
}

Status apply(Store& s, std::vector<Write>& ws) {
  std::vector<Write*> ptrs;
  for (auto& w : ws) ptrs.push_back(&w);
  return s.apply(ptrs, facade_audit_linker());
}

std::vector<std::string> ids(const std::vector<Store::AnomalyEvent>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.push_back(e.id);
  return out;
}

class AnomalyStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::fresh_store(GetParam(), dir_);
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(AnomalyStoreTest, EventsAreWrittenOnceAuditedAndPagedPerTenant) {
  std::vector<Write> ws = {event("a", "s@2.0", 10, "{\"n\":1}"), event("a", "s@1.0", 10), event("a", "r@9.0", 20),
                           event("b", "s@1.0", 10), event("a", "s@2.0", 30, "{\"n\":2}")};
  ASSERT_TRUE(apply(*store_, ws).ok());
  EXPECT_TRUE(ws[0].won);
  EXPECT_FALSE(ws[4].won);
  EXPECT_EQ(ws[4].winner_body, "{\"n\":1}");
  EXPECT_EQ(store_->audit_head()->seq, 4);  // the duplicate is not audited

  auto all = store_->anomaly_events("a", -1, "", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"s@1.0", "s@2.0", "r@9.0"}));
  EXPECT_EQ((*all)[1].body, "{\"n\":1}");
  // A cursor inside a millisecond shared by two events.
  auto rest = store_->anomaly_events("a", 10, "s@1.0", 100);
  EXPECT_EQ(ids(*rest), (std::vector<std::string>{"s@2.0", "r@9.0"}));
  EXPECT_EQ(ids(*store_->anomaly_events("a", 10, "s@2.0", 1)), (std::vector<std::string>{"r@9.0"}));
  EXPECT_EQ(ids(*store_->anomaly_events("b", -1, "", 100)), (std::vector<std::string>{"s@1.0"}));
  EXPECT_TRUE(store_->anomaly_events("c", -1, "", 100)->empty());
  EXPECT_EQ(store_->anomaly_event("a", "s@2.0")->value(), "{\"n\":1}");
  EXPECT_FALSE(store_->anomaly_event("b", "s@2.0")->has_value());
}

TEST_P(AnomalyStoreTest, ExpiredEventsArePurged) {
  std::vector<Write> ws = {event("a", "old", 10), event("a", "new", 2000000)};  // expire at 1000010 and 3000000
  ASSERT_TRUE(apply(*store_, ws).ok());
  EXPECT_EQ(store_->purge_anomaly_events(2000000).value(), 1);
  EXPECT_EQ(ids(*store_->anomaly_events("a", -1, "", 100)), (std::vector<std::string>{"new"}));
  EXPECT_EQ(store_->purge_anomaly_events(2000000).value(), 0);
}

TEST_P(AnomalyStoreTest, StateDocumentsAreReplacedByTheLastWrite) {
  EXPECT_FALSE(store_->anomaly_state("a", "model")->has_value());
  for (const char* body : {"{\"v\":1}", "{\"v\":2}"}) {
    Write w;
    w.kind = Write::Kind::anomaly_state;
    w.tenant = "a";
    w.id = "model";
    w.body = body;
    w.now_ms = 5;
    std::vector<Write> ws = {w};
    ASSERT_TRUE(apply(*store_, ws).ok());
  }
  EXPECT_EQ(store_->anomaly_state("a", "model")->value(), "{\"v\":2}");
  EXPECT_FALSE(store_->anomaly_state("a", "feedback")->has_value());
  EXPECT_FALSE(store_->anomaly_state("b", "model")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Both, AnomalyStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
