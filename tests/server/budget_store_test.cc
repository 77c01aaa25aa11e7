// Budgets and billing uploads in the store, against SQLite and PostgreSQL: the judge decides on
// the spend read in the writing transaction, a refused event is neither stored nor charged (but audited), a retry of a
// stored event is a duplicate even over budget, and two writers racing on one database (two store
// instances for PostgreSQL) never charge past the cap; a billing upload is stored once per
// (tenant, digest) with its audit entry in the same transaction.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <thread>

#include "app/budget.h"
#include "app/facade.h"
#include "json/parse.h"
#include "store/schema.h"
#include "tenants/directory.h"
#include "test_stores.h"

namespace flk::server {
namespace {

constexpr int64_t kNow = 1763900000000;  // 2025-11-23
constexpr int64_t kNanosPerUsd = 1000000000;

Write tenant_with_budget(const std::string& id, const std::string& cap_usd) {
  Write w;
  w.kind = Write::Kind::tenant;
  w.tenant = id;
  auto policy = json::parse("{\"cap_usd\":\"" + cap_usd + "\",\"window\":\"monthly\"}");
  auto checked = check_budget(policy.value(), "$.budget");
  EXPECT_TRUE(checked.ok());
  w.budget_json = checked.value();
  return w;
}

Write usage(const std::string& tenant, const std::string& id, int64_t cost_nanos) {
  Write w;
  w.kind = Write::Kind::usage;
  w.tenant = tenant;
  w.id = id;
  w.status = 200;
  w.body = "{\"event\":\"" + id + "\"}";
  w.now_ms = kNow;
  w.expires_ms = kNow + 1000000;
  w.cost_nanos = cost_nanos;
  w.judge = judge_usage;
  return w;
}

Status apply(Store& s, std::vector<Write>& ws) {
  std::vector<Write*> ptrs;
  for (auto& w : ws) ptrs.push_back(&w);
  return s.apply(ptrs, facade_audit_linker());
}

std::vector<json::Value> decisions(Store& s) {
  std::vector<json::Value> out;
  auto entries = s.audit_entries(0, 1000);
  for (const std::string& e : entries.value()) {
    auto v = json::parse(e).value();
    if (v.find("type")->as_string() == "budget.decision") out.push_back(v);
  }
  return out;
}

class BudgetStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::fresh_store(GetParam(), dir_, &url_);
    ASSERT_NE(store_, nullptr);
  }
  int64_t month_spend(Store& s, const std::string& tenant) {
    auto days = budget_days(tenant_with_budget(tenant, "1").budget_json, kNow);
    return s.spent(tenant, days.value().first, days.value().second).value();
  }
  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(BudgetStoreTest, TheEventThatWouldCrossTheCapIsRefusedAndNotCharged) {
  std::vector<Write> setup = {tenant_with_budget("acme", "1"), usage("free", "f1", 5 * kNanosPerUsd)};
  setup[1].judge = judge_usage;
  ASSERT_TRUE(apply(*store_, setup).ok());
  EXPECT_TRUE(setup[1].won) << "a tenant without a budget is never refused";

  std::vector<Write> a = {usage("acme", "e1", 4 * kNanosPerUsd / 10), usage("acme", "e2", 4 * kNanosPerUsd / 10),
                          usage("acme", "e3", 4 * kNanosPerUsd / 10), usage("acme", "e1", 4 * kNanosPerUsd / 10)};
  ASSERT_TRUE(apply(*store_, a).ok());
  EXPECT_TRUE(a[0].won && a[1].won);
  EXPECT_TRUE(a[2].refused);
  EXPECT_FALSE(a[2].won);
  EXPECT_FALSE(a[3].refused) << "a stored event's retry is a duplicate, even over budget";
  EXPECT_FALSE(a[3].won);
  EXPECT_EQ(a[3].winner_body, a[0].body);
  EXPECT_EQ(month_spend(*store_, "acme"), 8 * kNanosPerUsd / 10);
  EXPECT_EQ(month_spend(*store_, "free"), 5 * kNanosPerUsd);
  auto rows = store_->usage_events("acme", 0, kNow + 1);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows.value()[0].created_ms, kNow);

  auto d = decisions(*store_);
  ASSERT_EQ(d.size(), 2u) << "the degrade crossing (e2 reaches 0.8 of the cap) and the refusal";
  EXPECT_EQ(d[0].find("data")->find("event_id")->as_string(), "e2");
  EXPECT_EQ(d[0].find("data")->find("action")->as_string(), "degrade");
  EXPECT_EQ(d[1].find("data")->find("event_id")->as_string(), "e3");
  EXPECT_TRUE(d[1].find("data")->find("refused")->as_bool());

  // Raising the cap lets the refused event in.
  std::vector<Write> b = {tenant_with_budget("acme", "2"), usage("acme", "e3", 4 * kNanosPerUsd / 10)};
  ASSERT_TRUE(apply(*store_, b).ok());
  EXPECT_TRUE(b[1].won);
  EXPECT_EQ(month_spend(*store_, "acme"), 12 * kNanosPerUsd / 10);
}

TEST_P(BudgetStoreTest, ABatchIsAppliedInOrderABudgetBindsOnlyTheEventsAfterIt) {
  std::vector<Write> ws = {usage("acme", "before", 5 * kNanosPerUsd / 10), tenant_with_budget("acme", "0.1"),
                           usage("acme", "after", 5 * kNanosPerUsd / 10), usage("beta", "other", 5 * kNanosPerUsd / 10)};
  ASSERT_TRUE(apply(*store_, ws).ok());
  EXPECT_TRUE(ws[0].won && !ws[0].refused) << "no budget yet when this event is applied";
  EXPECT_TRUE(ws[2].refused) << "the budget set before it in the batch refuses it";
  EXPECT_TRUE(ws[3].won) << "another tenant is not bound";
  EXPECT_EQ(month_spend(*store_, "acme"), 5 * kNanosPerUsd / 10);
  auto d = decisions(*store_);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].find("data")->find("event_id")->as_string(), "after");
}

TEST_P(BudgetStoreTest, TwoWritersRacingNeverChargePastTheCap) {
  std::vector<Write> setup = {tenant_with_budget("acme", "1")};
  ASSERT_TRUE(apply(*store_, setup).ok());
  std::unique_ptr<Store> second = testing::second_instance(GetParam(), url_);
  Store* stores[2] = {store_.get(), second ? second.get() : store_.get()};
  int stored[2] = {0, 0}, refused[2] = {0, 0};
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      for (int b = 0; b < 40; b += 4) {
        std::vector<Write> batch;
        for (int i = b; i < b + 4; ++i)
          batch.push_back(usage("acme", "w" + std::to_string(t) + "-" + std::to_string(i), kNanosPerUsd / 10));
        EXPECT_TRUE(apply(*stores[t], batch).ok());
        for (const Write& w : batch) (w.won ? stored : refused)[t] += 1;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(stored[0] + stored[1], 10) << "ten events of 0.1 fill a cap of 1 exactly";
  EXPECT_EQ(refused[0] + refused[1], 70);
  EXPECT_EQ(month_spend(*store_, "acme"), kNanosPerUsd);
  EXPECT_EQ(store_->usage_events("acme", 0, kNow + 1)->size(), 10u);
}

TEST_P(BudgetStoreTest, ABillingUploadIsStoredOnceWithItsAuditEntry) {
  BillingUpload u{"acme", "d1", kNow, "focus", "BilledCost\n1\n", "{\"imported\":1}"};
  AuditDraft draft{"billing.uploaded", "acme", json::Value::object().set("upload_id", "d1"), kNow};
  auto first = store_->put_billing(u, draft, facade_audit_linker());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first.value());
  auto again = store_->put_billing(u, draft, facade_audit_linker());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value());
  BillingUpload other = u;
  other.tenant = "zeta";
  EXPECT_TRUE(store_->put_billing(other, draft, facade_audit_linker()).value()) << "upload ids are per tenant";
  auto list = store_->billing_uploads("acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list.value()[0].csv, u.csv);
  EXPECT_EQ(list.value()[0].format, "focus");
  auto entries = store_->audit_entries(0, 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 2u) << "one entry per stored upload";
  std::string jsonl;
  for (const std::string& e : entries.value()) jsonl += e + "\n";
  auto report = thread_engine().call_value("audit.verify", json::Value::object().set("jsonl", jsonl));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->find("valid")->as_bool());
}

TEST(SqliteStore, UsageEventsFromBeforeMigration3StayReadable) {
  testing::TempDir dir;
  const std::string path = dir.path + "/flk.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);";
  for (const Migration& m : migrations())
    if (m.version <= 2) sql += std::string(m.sql) + "; INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 0);";
  sql += "INSERT INTO usage_events VALUES ('acme', 'old', 200, '{\"total_usd\":\"0.5\"}', " + std::to_string(kNow) + ", " +
         std::to_string(kNow + 1000) + ");";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto rows = store.value()->usage_events("acme", 0, kNow + 1);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0].input, "") << "no input to re-price from";
  EXPECT_EQ(rows.value()[0].body, "{\"total_usd\":\"0.5\"}");
  std::vector<Write> again = {usage("acme", "old", kNanosPerUsd)};
  ASSERT_TRUE(apply(*store.value(), again).ok());
  EXPECT_FALSE(again[0].won) << "its id stays taken";
}

TEST(TenantsFile, BudgetsAreCheckedWithTheirPath) {
  auto ok = parse_tenants_json(R"({"tenants":[{"id":"a","budget":{"cap_usd":"5","window":"weekly"}}]})");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok.value()[0].budget_json, R"({"cap_usd":"5","preemptive":false,"window":"weekly"})");
  auto bad = parse_tenants_json(R"({"tenants":[{"id":"a","budget":{"cap_usd":"-5"}}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().path, "$.tenants[0].budget.cap_usd");
  auto window = parse_tenants_json(R"({"tenants":[{"id":"a","budget":{"cap_usd":"5","window":"yearly"}}]})");
  ASSERT_FALSE(window.ok());
  EXPECT_EQ(window.error().path, "$.tenants[0].budget.window");
  auto projecting = parse_tenants_json(R"({"tenants":[{"id":"a","budget":{"cap_usd":"5","preemptive":true}}]})");
  ASSERT_FALSE(projecting.ok());
  EXPECT_EQ(projecting.error().code, "unsupported");
  auto wrong = parse_tenants_json(R"({"tenants":[{"id":"a","budget":5}]})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().path, "$.tenants[0].budget");
}

INSTANTIATE_TEST_SUITE_P(Both, BudgetStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
