// The same store tests against SQLite and PostgreSQL: first write wins (also across tenants,
// within a batch, after expiry, and between two store instances racing on one database),
// keys and rotation, and an audit chain that the facade's audit.verify accepts.
#include <gtest/gtest.h>

#include <thread>

#include "app/facade.h"
#include "json/parse.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::TempDir;

using testing::verdict;

Status apply(Store& s, std::vector<Write>& ws) {
  std::vector<Write*> ptrs;
  for (auto& w : ws) ptrs.push_back(&w);
  return s.apply(ptrs, facade_audit_linker());
}

json::Value verify_chain(Store& s) {
  auto entries = s.audit_entries(0, 1u << 20);
  EXPECT_TRUE(entries.ok());
  std::string jsonl;
  for (auto& e : entries.value()) jsonl += e + "\n";
  auto head = s.audit_head();
  json::Value in = json::Value::object();
  in.set("jsonl", jsonl).set("head_seq", head->seq).set("head_hash", head->hash);
  auto out = thread_engine().call_value("audit.verify", in);
  EXPECT_TRUE(out.ok());
  return out.value();
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::fresh_store(GetParam(), dir_, &url_);
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, FirstWriteWinsAndDuplicatesReadTheFirst) {
  std::vector<Write> a = {verdict("acme", "p1", 200, "{\"first\":1}")};
  ASSERT_TRUE(apply(*store_, a).ok());
  EXPECT_TRUE(a[0].won);
  std::vector<Write> b = {verdict("acme", "p1", 202, "{\"second\":1}"), verdict("beta", "p1", 202, "{\"beta\":1}")};
  ASSERT_TRUE(apply(*store_, b).ok());
  EXPECT_FALSE(b[0].won);
  EXPECT_EQ(b[0].winner_status, 200);
  EXPECT_EQ(b[0].winner_body, "{\"first\":1}");
  EXPECT_TRUE(b[1].won) << "another tenant's pcs_id is a different key";
  auto got = store_->verdict("acme", "p1", 1500);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(got.value()->winner_body, "{\"first\":1}");
}

TEST_P(StoreTest, DuplicatesInsideOneBatchShareTheFirstOutcome) {
  std::vector<Write> ws = {verdict("acme", "p", 200, "{\"n\":1}"), verdict("acme", "p", 202, "{\"n\":2}"),
                           verdict("acme", "q", 202, "{\"n\":3}")};
  ASSERT_TRUE(apply(*store_, ws).ok());
  EXPECT_TRUE(ws[0].won);
  EXPECT_FALSE(ws[1].won);
  EXPECT_EQ(ws[1].winner_body, "{\"n\":1}");
  EXPECT_EQ(ws[1].winner_status, 200);
  EXPECT_TRUE(ws[2].won);
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 2) << "only the two winners are audited";
}

TEST_P(StoreTest, UsageEventsAreTheirOwnFirstWriteWinsTable) {
  Write u = verdict("acme", "p1", 200, "{\"usd\":\"1\"}");
  u.kind = Write::Kind::usage;
  u.audit.reset();
  Write again = u;
  again.body = "{\"usd\":\"2\"}";
  std::vector<Write> a = {verdict("acme", "p1", 200, "{\"verdict\":1}"), u, again};
  ASSERT_TRUE(apply(*store_, a).ok());
  EXPECT_TRUE(a[0].won) << "a verdict and a usage event with the same id are different records";
  EXPECT_TRUE(a[1].won);
  EXPECT_FALSE(a[2].won);
  EXPECT_EQ(a[2].winner_body, "{\"usd\":\"1\"}");
  std::vector<Write> b = {again};
  ASSERT_TRUE(apply(*store_, b).ok());
  EXPECT_FALSE(b[0].won);
  EXPECT_EQ(b[0].winner_body, "{\"usd\":\"1\"}");
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 1) << "usage events are not audited";
}

TEST_P(StoreTest, AnExpiredVerdictIsReplaced) {
  std::vector<Write> a = {verdict("acme", "p", 200, "{\"old\":1}", 1000, 100)};
  ASSERT_TRUE(apply(*store_, a).ok());
  std::vector<Write> b = {verdict("acme", "p", 202, "{\"new\":1}", 1100, 100)};
  ASSERT_TRUE(apply(*store_, b).ok());
  EXPECT_TRUE(b[0].won);
  EXPECT_EQ(b[0].winner_body, "{\"new\":1}");
  auto gone = store_->verdict("acme", "p", 5000);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto purged = store_->purge_expired(5000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged.value(), 1);
}

TEST_P(StoreTest, KeysRotateWithOverlapAndAreAudited) {
  std::vector<Write> ws(4);
  ws[0].kind = Write::Kind::tenant;
  ws[0].tenant = "acme";
  ws[0].rate_per_sec = 50;
  ws[0].burst = 100;
  for (int i = 1; i <= 2; ++i) {
    ws[i].kind = Write::Kind::key;
    ws[i].key = KeyRecord{"acme", "k" + std::to_string(i), "hmac", "{\"alg\":\"hmac\",\"key_text\":\"s\"}", 10 * i, {}};
    ws[i].audit = AuditDraft{"key.added", "acme", json::Value::object(), 5};
  }
  ws[3].kind = Write::Kind::key;
  ws[3].key = ws[1].key;  // the same kid again: refused
  ASSERT_TRUE(apply(*store_, ws).ok());
  EXPECT_TRUE(ws[1].won && ws[2].won);
  EXPECT_FALSE(ws[3].won);
  std::vector<Write> retire(2);
  retire[0].kind = Write::Kind::retire_key;
  retire[0].key.tenant = "acme";
  retire[0].key.kid = "k1";
  retire[0].key.not_after_ms = 500;
  retire[0].audit = AuditDraft{"key.retired", "acme", json::Value::object(), 6};
  retire[1] = retire[0];
  retire[1].key.kid = "missing";
  ASSERT_TRUE(apply(*store_, retire).ok());
  EXPECT_TRUE(retire[0].won);
  EXPECT_FALSE(retire[1].won);
  auto ts = store_->tenants();
  ASSERT_TRUE(ts.ok());
  ASSERT_EQ(ts->size(), 1u);
  EXPECT_EQ(ts->at(0).rate_per_sec, 50);
  ASSERT_EQ(ts->at(0).keys.size(), 2u);
  EXPECT_EQ(ts->at(0).keys[0].not_after_ms.value_or(-1), 500);
  EXPECT_FALSE(ts->at(0).keys[1].not_after_ms.has_value());
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), 3);
}

TEST_P(StoreTest, MigrationsRunOnceAndTheDataStays) {
  std::vector<Write> a = {verdict("acme", "p", 200, "{}")};
  ASSERT_TRUE(apply(*store_, a).ok());
  store_.reset();
  auto again = GetParam() == "postgres" ? open_postgres_store(url_) : open_sqlite_store(dir_.path + "/flk.sqlite");
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto got = again.value()->verdict("acme", "p", 1000);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(verify_chain(*again.value()).find("count")->as_int(), 1);
}

TEST_P(StoreTest, TwoWritersRacingAgreeOnEveryWinner) {
  // Two store instances (two servers) on one database for PostgreSQL; one store shared by two
  // threads for SQLite, whose lock file admits one server per file.
  std::unique_ptr<Store> second = testing::second_instance(GetParam(), url_);
  Store* stores[2] = {store_.get(), second ? second.get() : store_.get()};
  constexpr int kKeys = 200;
  std::vector<Write> out[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      for (int b = 0; b < kKeys; b += 10) {
        std::vector<Write> batch;
        for (int i = b; i < b + 10; ++i)
          batch.push_back(verdict("acme", "k" + std::to_string(i), 200 + t, "{\"writer\":" + std::to_string(t) + "}"));
        EXPECT_TRUE(apply(*stores[t], batch).ok());
        out[t].insert(out[t].end(), batch.begin(), batch.end());
      }
    });
  }
  for (auto& th : threads) th.join();
  int wins = 0;
  for (int i = 0; i < kKeys; ++i) {
    EXPECT_NE(out[0][i].won, out[1][i].won) << "exactly one writer wins key " << i;
    EXPECT_EQ(out[0][i].winner_body, out[1][i].winner_body);
    wins += out[0][i].won + out[1][i].won;
  }
  EXPECT_EQ(wins, kKeys);
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), kKeys);
}

TEST(SqliteStore, ASecondServerOnTheSameFileIsRefused) {
  TempDir dir;
  auto a = open_sqlite_store(dir.path + "/flk.sqlite");
  ASSERT_TRUE(a.ok());
  auto b = open_sqlite_store(dir.path + "/flk.sqlite");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "store_busy");
}

TEST(PostgresStore, AnUnreachableServerIsATypedError) {
  auto s = open_postgres_store("postgres://flk@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_error");
}

INSTANTIATE_TEST_SUITE_P(Both, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
