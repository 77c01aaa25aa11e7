// The store conformance suite: every store area's repository (pcs, usage and budgets, billing,
// anomaly, tenants and keys, policies, audit) against SQLite and a real PostgreSQL (the cluster the ctest
// fixture starts, scripts/pg-test-cluster.sh), with the same expectations for both: first write
// wins (within a batch, across tenants, after expiry, between two writers racing), batch order
// (a budget binds only the usage events after it; duplicates share the first outcome whatever
// types sit between them), budget decisions, and an audit chain that audit.verify accepts. The
// Transcript tests run one mixed workload on both databases and require identical transcripts.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <memory>
#include <thread>

#include "app/budget.h"
#include "app/facade.h"
#include "json/parse.h"
#include "store/adaptive/adaptive.h"
#include "store/canary/canary.h"
#include "store/policies/policies.h"
#include "store/usage/report.h"
#include "store/verify/verify.h"
#include "tenants/directory.h"
#include "test_stores.h"

namespace flk::server {
namespace {

using testing::Batch;
using testing::TempDir;
using testing::verdict;

constexpr int64_t kNow = 1763900000000;  // 2025-11-23
constexpr int64_t kNanosPerUsd = 1000000000;

TenantWrite tenant_with_budget(const std::string& id, const std::string& cap_usd) {
  TenantWrite w;
  w.tenant = id;
  auto policy = json::parse("{\"cap_usd\":\"" + cap_usd + "\",\"window\":\"monthly\"}");
  auto checked = check_budget(policy.value(), "$.budget");
  EXPECT_TRUE(checked.ok());
  w.budget_json = checked.value();
  return w;
}

UsageWrite usage(const std::string& tenant, const std::string& id, int64_t cost_nanos, int64_t now = kNow) {
  UsageWrite w;
  w.tenant = tenant;
  w.id = id;
  w.status = 200;
  w.body = "{\"event\":\"" + id + "\"}";
  w.now_ms = now;
  w.expires_ms = now + 1000000;
  w.cost_nanos = cost_nanos;
  w.input = "{\"in\":\"" + id + "\"}";
  // Written to the store directly, with no completion to settle a claim: no budget here is
  // pre-emptive, so none is made.
  w.judge = [j = std::make_shared<Judging>()](const StoredBudget& b, const SpendReader& spent, UsageWrite& w) {
    return judge_usage(b, spent, w, *j);
  };
  return w;
}

AnomalyEventWrite event(const std::string& tenant, const std::string& id, int64_t now, const std::string& body = "{}") {
  AnomalyEventWrite w;
  w.tenant = tenant;
  w.id = id;
  w.status = 200;
  w.body = body;
  w.now_ms = now;
  w.expires_ms = now + 1000000;
  w.audit = AuditDraft{"anomaly.detected", tenant, json::Value::object().set("event_id", id), now};
  return w;
}

AnomalyStateWrite state(const std::string& tenant, const std::string& name, const std::string& body) {
  AnomalyStateWrite w;
  w.tenant = tenant;
  w.id = name;
  w.body = body;
  w.now_ms = 5;
  return w;
}

KeyWrite key(const std::string& tenant, const std::string& kid, int64_t not_before) {
  KeyWrite w;
  w.tenant = tenant;
  w.id = kid;
  w.key = KeyRecord{tenant, kid, "hmac", "{\"alg\":\"hmac\",\"key_text\":\"s\"}", not_before, {}};
  w.audit = AuditDraft{"key.added", tenant, json::Value::object().set("kid", kid), 5};
  return w;
}

BillingWrite upload(const std::string& tenant, const std::string& id) {
  BillingWrite w;
  w.tenant = tenant;
  w.id = id;
  w.upload = BillingUpload{tenant, id, kNow, "focus", "BilledCost\n1\n", "{\"imported\":1}"};
  w.audit = AuditDraft{"billing.uploaded", tenant, json::Value::object().set("upload_id", id), kNow};
  return w;
}

VerificationWrite verification(const std::string& tenant, const std::string& id, const std::string& action) {
  VerificationWrite w;
  w.tenant = tenant;
  w.id = id;
  w.v = Verification{tenant, id, action, kNow, "p1", "{\"verification_id\":\"" + id + "\"}"};
  w.audit = AuditDraft{"verify.decided", tenant, json::Value::object().set("verification_id", id), kNow};
  return w;
}

LabelWrite label(const std::string& tenant, const std::string& id, const std::string& source, bool hallucinated) {
  LabelWrite w;
  w.tenant = tenant;
  w.id = id;
  w.label = VerificationLabel{tenant, id, source, hallucinated, "", kNow};
  w.audit = AuditDraft{"verify.labelled", tenant, json::Value::object().set("verification_id", id), kNow};
  return w;
}

json::Value verify_chain(Store& s) {
  std::string jsonl;
  for (auto& e : testing::all_entries(s)) jsonl += e + "\n";
  auto head = audit::head(s);
  EXPECT_TRUE(head.ok());
  json::Value in = json::Value::object();
  in.set("jsonl", jsonl).set("head_seq", head->seq).set("head_hash", head->hash);
  auto out = thread_engine().call_value("audit.verify", in);
  EXPECT_TRUE(out.ok());
  return out.value();
}

std::vector<json::Value> decisions(Store& s) {
  std::vector<json::Value> out;
  for (const std::string& e : testing::all_entries(s)) {
    auto v = json::parse(e).value();
    if (v.find("type")->as_string() == "budget.decision") out.push_back(v);
  }
  return out;
}

int64_t month_spend(Store& s, const std::string& tenant) {
  auto days = budget_days(StoredBudget{tenant_with_budget(tenant, "1").budget_json}, kNow);
  return usage::spent(s, tenant, days.value().first, days.value().second).value();
}

std::vector<std::string> ids(const std::vector<anomaly::Event>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.push_back(e.id);
  return out;
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::fresh_store(GetParam(), dir_, &url_);
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

// ---- pcs ----------------------------------------------------------------------------------

TEST_P(StoreConformance, FirstWriteWinsAndDuplicatesReadTheFirst) {
  Batch a;
  auto& first = a.add(verdict("acme", "p1", 200, "{\"first\":1}"));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  Batch b;
  auto& second = b.add(verdict("acme", "p1", 202, "{\"second\":1}"));
  auto& beta = b.add(verdict("beta", "p1", 202, "{\"beta\":1}"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_FALSE(second.won);
  EXPECT_EQ(second.winner_status, 200);
  EXPECT_EQ(second.winner_body, "{\"first\":1}");
  EXPECT_TRUE(beta.won) << "another tenant's pcs_id is a different key";
  auto got = pcs::verdict(*store_, "acme", "p1", 1500);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(got.value()->body, "{\"first\":1}");
  EXPECT_EQ(got.value()->status, 200);
}

TEST_P(StoreConformance, DuplicatesInsideOneBatchShareTheFirstOutcomeWhateverLiesBetween) {
  Batch b;
  auto& p1 = b.add(verdict("acme", "p", 200, "{\"n\":1}"));
  b.add(usage("acme", "p", 1));
  b.add(event("acme", "p", 1000));
  auto& p2 = b.add(verdict("acme", "p", 202, "{\"n\":2}"));
  auto& q = b.add(verdict("acme", "q", 202, "{\"n\":3}"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(p1.won);
  EXPECT_FALSE(p2.won);
  EXPECT_EQ(p2.winner_body, "{\"n\":1}");
  EXPECT_EQ(p2.winner_status, 200);
  EXPECT_TRUE(q.won);
  EXPECT_TRUE(static_cast<UsageWrite&>(b[1]).won) << "a usage event with the same id is another record";
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 3) << "two verdicts and the anomaly event";
}

TEST_P(StoreConformance, AnExpiredVerdictIsReplacedAndPurged) {
  Batch a;
  a.add(verdict("acme", "p", 200, "{\"old\":1}", 1000, 100));
  ASSERT_TRUE(a.apply(*store_).ok());
  Batch b;
  auto& fresh = b.add(verdict("acme", "p", 202, "{\"new\":1}", 1100, 100));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(fresh.won);
  EXPECT_EQ(fresh.winner_body, "{\"new\":1}");
  auto gone = pcs::verdict(*store_, "acme", "p", 5000);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto purged = pcs::purge_expired(*store_, 5000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged.value(), 1);
}

TEST_P(StoreConformance, TwoWritersRacingAgreeOnEveryWinner) {
  // Two store instances (two servers) on one database for PostgreSQL; one store shared by two
  // threads for SQLite, whose lock file admits one server per file.
  std::unique_ptr<Store> second = testing::second_instance(GetParam(), url_);
  Store* stores[2] = {store_.get(), second ? second.get() : store_.get()};
  constexpr int kKeys = 200;
  std::vector<std::pair<bool, std::string>> out[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      for (int b = 0; b < kKeys; b += 10) {
        Batch batch;
        for (int i = b; i < b + 10; ++i)
          batch.add(verdict("acme", "k" + std::to_string(i), 200 + t, "{\"writer\":" + std::to_string(t) + "}"));
        EXPECT_TRUE(batch.apply(*stores[t]).ok());
        for (size_t i = 0; i < batch.size(); ++i) {
          auto& v = static_cast<VerdictWrite&>(batch[i]);
          out[t].emplace_back(v.won, v.winner_body);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  int wins = 0;
  for (int i = 0; i < kKeys; ++i) {
    EXPECT_NE(out[0][i].first, out[1][i].first) << "exactly one writer wins key " << i;
    EXPECT_EQ(out[0][i].second, out[1][i].second);
    wins += out[0][i].first + out[1][i].first;
  }
  EXPECT_EQ(wins, kKeys);
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), kKeys);
}

// ---- tenants and keys ---------------------------------------------------------------------

TEST_P(StoreConformance, KeysRotateWithOverlapAndAreAudited) {
  Batch b;
  TenantWrite t;
  t.tenant = "acme";
  t.rate_per_sec = 50;
  t.burst = 100;
  b.add(std::move(t));
  auto& k1 = b.add(key("acme", "k1", 10));
  auto& k2 = b.add(key("acme", "k2", 20));
  auto& again = b.add(key("acme", "k1", 30));  // the same kid again: refused
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(k1.won && k2.won);
  EXPECT_FALSE(again.won);
  Batch retire;
  RetireKeyWrite r;
  r.tenant = "acme";
  r.key.tenant = "acme";
  r.key.kid = "k1";
  r.key.not_after_ms = 500;
  r.audit = AuditDraft{"key.retired", "acme", json::Value::object(), 6};
  auto& r1 = retire.add(r);
  r.key.kid = "missing";
  auto& r2 = retire.add(r);
  ASSERT_TRUE(retire.apply(*store_).ok());
  EXPECT_TRUE(r1.won);
  EXPECT_FALSE(r2.won);
  auto ts = tenants::all(*store_);
  ASSERT_TRUE(ts.ok());
  ASSERT_EQ(ts->size(), 1u);
  EXPECT_EQ(ts->at(0).rate_per_sec, 50);
  EXPECT_EQ(ts->at(0).burst, 100);
  EXPECT_EQ(ts->at(0).budget_json, "");
  ASSERT_EQ(ts->at(0).keys.size(), 2u);
  EXPECT_EQ(ts->at(0).keys[0].not_after_ms.value_or(-1), 500);
  EXPECT_FALSE(ts->at(0).keys[1].not_after_ms.has_value());
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), 3);
}

// ---- usage and budgets --------------------------------------------------------------------

TEST_P(StoreConformance, UsageEventsAreFirstWriteWinsAndCharged) {
  Batch a;
  auto& u = a.add(usage("acme", "e", kNanosPerUsd));
  auto& dup = a.add(usage("acme", "e", 7 * kNanosPerUsd));
  dup.body = "{\"other\":1}";
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(u.won);
  EXPECT_FALSE(dup.won);
  EXPECT_EQ(dup.winner_body, u.body);
  Batch b;
  auto& later = b.add(usage("acme", "e", kNanosPerUsd));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_FALSE(later.won);
  EXPECT_EQ(month_spend(*store_, "acme"), kNanosPerUsd) << "duplicates are not charged";
  auto rows = usage::events(*store_, "acme", 0, kNow + 1);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).input, u.input);
  EXPECT_EQ(rows->at(0).created_ms, kNow);
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 0) << "usage events without a decision are not audited";
}

UsageWrite attributed(const std::string& id, int64_t nanos, int64_t now, const std::string& task, const std::string& team,
                      const std::string& verification = "") {
  UsageWrite w = usage("acme", id, nanos, now);
  w.judge = nullptr;
  w.attribution = {"gpt-4o", "openai", task, "u-" + task, verification, {}};
  if (!team.empty()) w.attribution.labels = {{"env", "prod"}, {"team", team}};
  return w;
}

std::string report_text(const std::vector<usage::ReportGroup>& groups) {
  std::string out;
  for (const auto& g : groups) {
    for (const auto& k : g.key) out += k + "|";
    out += std::to_string(g.nanos) + "/" + std::to_string(g.events) + ";";
  }
  return out;
}

TEST_P(StoreConformance, UsageReportsGroupInTheDatabase) {
  constexpr int64_t kDay = 86400000;
  // Decisions of the verify area the events name (the report joins them): v1 and v3 accepted, v2 rejected, another tenant's v2 accepted.
  Batch decided;
  decided.add(verification("acme", "v1", "accept"));
  decided.add(verification("acme", "v2", "reject"));
  decided.add(verification("acme", "v3", "accept"));
  decided.add(verification("other", "v2", "accept"));
  ASSERT_TRUE(decided.apply(*store_).ok());
  Batch b;
  b.add(attributed("a", 3 * kNanosPerUsd, kNow, "sum", "red", "v1"));
  b.add(attributed("b", 5, kNow, "sum", "", "v2"));
  b.add(attributed("c", 7, kNow + 9 * kDay, "qa", "blue", "v3"));
  b.add(attributed("a", 1000, kNow, "other", "red"));  // a duplicate: not counted again
  b.add(attributed("old", 11, kNow - 30 * kDay, "qa", "red"));
  auto& ghost = b.add(attributed("ghost", 13, kNow, "qa", "red", "v9"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(ghost.unknown_verification) << "v9 names no verification: refused, not stored or charged";
  EXPECT_FALSE(ghost.won);
  usage::ReportQuery q{"acme", kNow - 20 * kDay, kNow + 20 * kDay, {"task", "label:team", "month"}};
  auto r = usage::report(*store_, q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(report_text(r.value()), "qa|blue|2025-12|7/1;sum||2025-11|5/1;sum|red|2025-11|3000000000/1;");
  q.group_by = {"user", "day", "model", "provider", "tenant"};
  r = usage::report(*store_, q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(report_text(r.value()),
            "u-qa|2025-12-02|gpt-4o|openai|acme|7/1;u-sum|2025-11-23|gpt-4o|openai|acme|3000000005/2;");
  q.group_by = {};
  EXPECT_EQ(report_text(usage::report(*store_, q).value()), "3000000012/3;");
  q.tenant = "nobody";
  EXPECT_EQ(report_text(usage::report(*store_, q).value()), "") << "no events, no rows";

  q.tenant = "acme";
  q.group_by = {"task"};
  auto trusted = usage::trusted_report(*store_, q);
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_EQ(report_text(trusted.value()), "qa|7/1;sum|3000000000/1;") << "only accepted verifications of the tenant";
}

TEST_P(StoreConformance, EventsStoredBeforeAttributionReportTheirModel) {
  Batch b;
  auto& w = b.add(usage("acme", "legacy", 42));
  w.judge = nullptr;
  w.body = "{\"model\":\"gpt-4o\",\"provider\":\"openai\",\"total_usd\":\"0.000000042\"}";
  ASSERT_TRUE(b.apply(*store_).ok());
  // Back to the usage area's step 1: no attribution columns, the event as it was stored then.
  ASSERT_TRUE(store_->transact(true, [](Tx& tx) -> Status {
    FLK_TRY(tx.exec("DROP INDEX usage_events_report", {}));
    FLK_TRY(tx.exec("DROP INDEX usage_events_verification", {}));
    for (const char* col : {"model", "provider", "task", "user_id", "verification_id"})
      FLK_TRY(tx.exec(("ALTER TABLE usage_events DROP COLUMN " + std::string(col)).c_str(), {}));
    FLK_TRY(tx.exec("DROP TABLE usage_labels", {}));
    FLK_TRY(tx.exec("DELETE FROM store_migrations WHERE area = 'usage' AND version >= 2", {}));
    return Ok{};
  }).ok());
  ASSERT_TRUE(migrate(*store_).ok());
  auto r = usage::report(*store_, {"acme", 0, kNow + 1, {"provider", "model", "task"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(report_text(r.value()), "openai|gpt-4o||42/1;");
}

TEST_P(StoreConformance, TheEventThatWouldCrossTheCapIsRefusedAndNotCharged) {
  Batch setup;
  setup.add(tenant_with_budget("acme", "1"));
  auto& free = setup.add(usage("free", "f1", 5 * kNanosPerUsd));
  ASSERT_TRUE(setup.apply(*store_).ok());
  EXPECT_TRUE(free.won) << "a tenant without a budget is never refused";

  Batch a;
  auto& e1 = a.add(usage("acme", "e1", 4 * kNanosPerUsd / 10));
  auto& e2 = a.add(usage("acme", "e2", 4 * kNanosPerUsd / 10));
  auto& e3 = a.add(usage("acme", "e3", 4 * kNanosPerUsd / 10));
  auto& e1again = a.add(usage("acme", "e1", 4 * kNanosPerUsd / 10));
  auto& e3again = a.add(usage("acme", "e3", 1));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(e1.won && e2.won);
  EXPECT_TRUE(e3.refused);
  EXPECT_FALSE(e3.won);
  EXPECT_FALSE(e1again.refused) << "a stored event's retry is a duplicate, even over budget";
  EXPECT_FALSE(e1again.won);
  EXPECT_EQ(e1again.winner_body, e1.body);
  EXPECT_TRUE(e3again.won) << "a refused event is not stored: its id is judged again, and 1 nano fits";
  EXPECT_EQ(month_spend(*store_, "acme"), 8 * kNanosPerUsd / 10 + 1);
  EXPECT_EQ(month_spend(*store_, "free"), 5 * kNanosPerUsd);

  auto d = decisions(*store_);
  ASSERT_EQ(d.size(), 2u) << "the degrade crossing (e2 reaches 0.8 of the cap) and the refusal";
  EXPECT_EQ(d[0].find("data")->find("event_id")->as_string(), "e2");
  EXPECT_EQ(d[0].find("data")->find("action")->as_string(), "degrade");
  EXPECT_EQ(d[1].find("data")->find("event_id")->as_string(), "e3");
  EXPECT_TRUE(d[1].find("data")->find("refused")->as_bool());

  // Raising the cap lets the refused event in.
  Batch b;
  b.add(tenant_with_budget("acme", "2"));
  auto& e4 = b.add(usage("acme", "e4", 4 * kNanosPerUsd / 10));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(e4.won);
  EXPECT_EQ(month_spend(*store_, "acme"), 12 * kNanosPerUsd / 10 + 1);
}

TEST_P(StoreConformance, ABatchIsAppliedInOrderABudgetBindsOnlyTheEventsAfterIt) {
  Batch b;
  auto& before = b.add(usage("acme", "before", 5 * kNanosPerUsd / 10));
  b.add(verdict("acme", "v1", 200, "{}"));
  b.add(tenant_with_budget("acme", "0.1"));
  b.add(verdict("acme", "v2", 200, "{}"));
  auto& after = b.add(usage("acme", "after", 5 * kNanosPerUsd / 10));
  auto& other = b.add(usage("beta", "other", 5 * kNanosPerUsd / 10));
  b.add(tenant_with_budget("acme", "10"));
  auto& last = b.add(usage("acme", "last", 5 * kNanosPerUsd / 10));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(before.won && !before.refused) << "no budget yet when this event is applied";
  EXPECT_TRUE(after.refused) << "the budget set before it in the batch refuses it";
  EXPECT_TRUE(other.won) << "another tenant is not bound";
  EXPECT_TRUE(last.won) << "the raised budget admits it";
  EXPECT_EQ(month_spend(*store_, "acme"), 10 * kNanosPerUsd / 10);
  auto d = decisions(*store_);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].find("data")->find("event_id")->as_string(), "after");
  // The chain follows batch order: verdict v1, tenant, verdict v2, the refusal, tenant.
  std::vector<std::string> types;
  for (const std::string& e : testing::all_entries(*store_)) {
    auto v = json::parse(e).value();
    types.push_back(v.find("type")->as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"pcs.verdict", "pcs.verdict", "budget.decision"}))
      << "tenant writes here carry no audit draft";
}

// The judge keeps the budget it parsed while the revision read with it is the same: equal
// revisions only for equal texts, a new one whenever the stored text changed.
TEST_P(StoreConformance, ABudgetKeepsItsRevisionUntilItsTextChanges) {
  auto revision = [this](const std::string& cap) {
    Batch b;
    b.add(tenant_with_budget("acme", cap));
    EXPECT_TRUE(b.apply(*store_).ok());
    auto first = tenants::budget(*store_, "acme"), again = tenants::budget(*store_, "acme");
    EXPECT_TRUE(first.ok() && again.ok());
    EXPECT_EQ(first->json, tenant_with_budget("acme", cap).budget_json);
    EXPECT_NE(first->revision, 0u);
    EXPECT_EQ(first->revision, again->revision) << "read twice, unchanged";
    return first->revision;
  };
  const uint64_t one = revision("1");
  EXPECT_EQ(revision("1"), one) << "written again with the same text";
  const uint64_t two = revision("2");
  EXPECT_NE(two, one);
  EXPECT_NE(revision("1"), two) << "back to the first text: a revision the second never had";
  auto none = tenants::budget(*store_, "nobody");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(none->revision, 0u);
}

TEST_P(StoreConformance, ManyEventsOfOneTenantInOneBatchAreDecidedOneAfterAnother) {
  Batch setup;
  setup.add(tenant_with_budget("acme", "1"));
  ASSERT_TRUE(setup.apply(*store_).ok());
  Batch b;
  std::vector<UsageWrite*> ws;
  for (int i = 0; i < 300; ++i) ws.push_back(&b.add(usage("acme", "e" + std::to_string(i), kNanosPerUsd / 100)));
  ASSERT_TRUE(b.apply(*store_).ok());
  int stored = 0;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(ws[i]->won, i < 100) << i;
    stored += ws[i]->won;
  }
  EXPECT_EQ(stored, 100);
  EXPECT_EQ(month_spend(*store_, "acme"), kNanosPerUsd);
}

TEST_P(StoreConformance, TwoWritersRacingNeverChargePastTheCap) {
  Batch setup;
  setup.add(tenant_with_budget("acme", "1"));
  ASSERT_TRUE(setup.apply(*store_).ok());
  std::unique_ptr<Store> second = testing::second_instance(GetParam(), url_);
  Store* stores[2] = {store_.get(), second ? second.get() : store_.get()};
  int stored[2] = {0, 0}, refused[2] = {0, 0};
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      for (int b = 0; b < 40; b += 4) {
        Batch batch;
        std::vector<UsageWrite*> ws;
        for (int i = b; i < b + 4; ++i)
          ws.push_back(&batch.add(usage("acme", "w" + std::to_string(t) + "-" + std::to_string(i), kNanosPerUsd / 10)));
        EXPECT_TRUE(batch.apply(*stores[t]).ok());
        for (const UsageWrite* w : ws) (w->won ? stored : refused)[t] += 1;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(stored[0] + stored[1], 10) << "ten events of 0.1 fill a cap of 1 exactly";
  EXPECT_EQ(refused[0] + refused[1], 70);
  EXPECT_EQ(month_spend(*store_, "acme"), kNanosPerUsd);
  EXPECT_EQ(usage::events(*store_, "acme", 0, kNow + 1)->size(), 10u);
}

TEST_P(StoreConformance, ABudgetCountsTheSpendOfItsWholeWindowAndNothingBeforeIt) {
  constexpr int64_t kDay = 86400000;
  Batch setup;
  setup.add(tenant_with_budget("acme", "1"));
  ASSERT_TRUE(setup.apply(*store_).ok());
  // One batch each, so the later ones read the spend with the budget's lock (the tenant is known
  // to have a budget by then) and the first does not.
  const std::pair<int64_t, int64_t> steps[] = {{kNow - 30 * kDay, 9}, {kNow - 10 * kDay, 6}, {kNow, 5}, {kNow, 4}};
  std::vector<bool> won;
  for (size_t i = 0; i < 4; ++i) {
    Batch b;
    auto& w = b.add(usage("acme", "e" + std::to_string(i), steps[i].second * kNanosPerUsd / 10, steps[i].first));
    ASSERT_TRUE(b.apply(*store_).ok());
    won.push_back(w.won);
  }
  EXPECT_EQ(won, (std::vector<bool>{true, true, false, true}))
      << "October's 0.9 is another window; November's 0.6 + 0.5 would pass the cap, 0.6 + 0.4 reaches it";
  EXPECT_EQ(month_spend(*store_, "acme"), kNanosPerUsd);
}

TEST_P(StoreConformance, APipelineAnswersInOrderAndFailsAsAWhole) {
  std::vector<int64_t> seen;
  ASSERT_TRUE(store_->transact(true, [&](Tx& tx) -> Status {
                      FLK_TRY(tx.exec("CREATE TABLE probe (k BIGINT PRIMARY KEY)", {}));
                      return tx.pipeline([&]() -> Status {
                        FLK_TRY(tx.exec("INSERT INTO probe (k) VALUES (?1), (?2)", {int64_t{1}, int64_t{2}}));
                        FLK_TRY(tx.exec("SELECT k FROM probe ORDER BY k", {},
                                        [&](const Row& r) { seen.push_back(r.integer(0)); }));
                        return Ok{};
                      });
                    }).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2})) << "each statement sees the ones before it";
  Status s = store_->transact(true, [&](Tx& tx) -> Status {
    return tx.pipeline([&]() -> Status {
      FLK_TRY(tx.exec("INSERT INTO probe (k) VALUES (?1)", {int64_t{3}}));
      FLK_TRY(tx.exec("INSERT INTO probe (k) VALUES (?1)", {int64_t{1}}));  // taken
      FLK_TRY(tx.exec("INSERT INTO probe (k) VALUES (?1)", {int64_t{4}}));
      return Ok{};
    });
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_error");
  ASSERT_TRUE(store_->transact(true, [](Tx& tx) -> Status {
                      FLK_TRY(tx.exec("INSERT INTO probe (k) VALUES (?1)", {int64_t{5}}));
                      return Ok{};
                    }).ok())
      << "the writer is usable after a failed pipeline";
  int64_t count = 0;
  ASSERT_TRUE(store_->read([&](Tx& tx) -> Status {
                      FLK_ASSIGN(count, tx.integer_of("SELECT COUNT(*) FROM probe", {}));
                      return Ok{};
                    }).ok());
  EXPECT_EQ(count, 3) << "1, 2 and 5: the failed transaction left nothing";
}

// ---- billing ------------------------------------------------------------------------------

TEST_P(StoreConformance, ABillingUploadIsStoredOnceWithItsAuditEntry) {
  Batch a;
  auto& first = a.add(upload("acme", "d1"));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  Batch b;
  auto& again = b.add(upload("acme", "d1"));
  auto& other = b.add(upload("zeta", "d1"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_FALSE(again.won);
  EXPECT_TRUE(other.won) << "upload ids are per tenant";
  auto list = billing::uploads(*store_, "acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list.value()[0].csv, "BilledCost\n1\n");
  EXPECT_EQ(list.value()[0].format, "focus");
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), 2) << "one entry per stored upload";
}

// ---- policies -----------------------------------------------------------------------------

PolicyWrite policy(const std::string& tenant, const std::string& kind, const std::string& hash, bool revert = false) {
  PolicyWrite w;
  w.tenant = tenant;
  w.revert = revert;
  PolicyVersion& v = w.policy;
  v.tenant = tenant;
  v.kind = kind;
  v.name = "p-" + kind;
  v.doc_version = 1;
  v.hash = hash;
  v.doc = "{\"hash\":\"" + hash + "\"}";
  v.actor = "alice";
  v.reason = "test";
  v.created_ms = kNow;
  w.audit = AuditDraft{revert ? "policy.reverted" : "policy.updated", tenant, json::Value::object(), kNow};
  return w;
}

TEST_P(StoreConformance, PolicyVersionsAreNumberedPerTenantUnchangedIsNotWrittenAndRevertRestores) {
  Batch a;
  auto& first = a.add(policy("acme", "RiskRoutingPolicy", "h1"));
  auto& same = a.add(policy("acme", "RiskRoutingPolicy", "h1"));
  auto& ensemble = a.add(policy("acme", "EnsemblePolicy", "e1"));
  auto& second = a.add(policy("acme", "RiskRoutingPolicy", "h2"));
  auto& other = a.add(policy("zeta", "RiskRoutingPolicy", "z1"));
  auto& none = a.add(policy("zeta", "RiskRoutingPolicy", "", true));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  EXPECT_EQ(first.policy.version, 1);
  EXPECT_FALSE(same.won) << "the active document again is no change";
  EXPECT_EQ(same.policy.version, 1);
  EXPECT_EQ(ensemble.policy.version, 2);
  EXPECT_EQ(second.policy.version, 3);
  EXPECT_EQ(other.policy.version, 1) << "versions are per tenant";
  EXPECT_TRUE(none.nothing_to_revert);
  EXPECT_FALSE(none.won);

  Batch b;
  auto& back = b.add(policy("acme", "RiskRoutingPolicy", "", true));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(back.won);
  EXPECT_EQ(back.policy.version, 4);
  EXPECT_EQ(back.policy.hash, "h1");
  ASSERT_TRUE(back.policy.reverts.has_value());
  EXPECT_EQ(*back.policy.reverts, 1);

  auto active = policies::active(*store_, "acme");
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ(active.value()[0].kind, "EnsemblePolicy");
  EXPECT_EQ(active.value()[1].kind, "RiskRoutingPolicy");
  EXPECT_EQ(active.value()[1].version, 4);
  EXPECT_EQ(active.value()[1].doc, "{\"hash\":\"h1\"}");
  auto history = policies::history(*store_, "acme", "RiskRoutingPolicy", 10);
  ASSERT_TRUE(history.ok());
  std::vector<int64_t> versions;
  for (const auto& v : history.value()) versions.push_back(v.version);
  EXPECT_EQ(versions, (std::vector<int64_t>{4, 3, 1}));
  auto all = policies::history(*store_, "acme", "", 2);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto v2 = policies::version(*store_, "acme", 2);
  ASSERT_TRUE(v2.ok() && v2->has_value());
  EXPECT_EQ(v2.value()->hash, "e1");

  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), 5) << "one entry per version written";
}

// ---- verify -------------------------------------------------------------------------------

TEST_P(StoreConformance, VerificationsAreFirstWriteWinsAndLabelsNeedOne) {
  Batch a;
  auto& first = a.add(verification("acme", "v1", "accept"));
  auto& other = a.add(verification("zeta", "v1", "reject"));
  auto& lab = a.add(label("acme", "v1", "human", false));
  auto& orphan = a.add(label("acme", "nope", "human", true));
  auto& foreign = a.add(label("zeta", "v2", "human", true));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  EXPECT_TRUE(other.won) << "verification ids are per tenant";
  EXPECT_TRUE(lab.won) << "a label sees the verification stored earlier in its batch";
  EXPECT_FALSE(orphan.won);
  EXPECT_FALSE(foreign.won);
  Batch b;
  auto& again = b.add(verification("acme", "v1", "reject"));
  auto& relabel = b.add(label("acme", "v1", "human", true));
  auto& second = b.add(label("acme", "v1", "downstream", true));
  b.add(verification("acme", "v3", "escalate"));
  b.add(label("acme", "v3", "human", true));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_FALSE(again.won);
  EXPECT_TRUE(relabel.won && second.won);
  auto v = verify::verification(*store_, "acme", "v1");
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ(v.value()->action, "accept");
  EXPECT_EQ(v.value()->body, "{\"verification_id\":\"v1\"}");
  EXPECT_FALSE(verify::verification(*store_, "beta", "v1")->has_value());
  auto cells = verify::agreement(*store_, "acme");
  ASSERT_TRUE(cells.ok());
  std::vector<std::tuple<std::string, bool, int64_t>> got;
  for (const auto& c : cells.value()) got.emplace_back(c.action, c.hallucinated, c.count);
  const std::vector<std::tuple<std::string, bool, int64_t>> want = {{"accept", true, 2}, {"escalate", true, 1}};
  EXPECT_EQ(got, want) << "the relabel replaced the human label; one row per (id, source)";
  json::Value report = verify_chain(*store_);
  EXPECT_TRUE(report.find("valid")->as_bool());
  EXPECT_EQ(report.find("count")->as_int(), 7) << "3 verifications and 4 labels stored; refused ones leave no entry";
}

// ---- adaptive -----------------------------------------------------------------------------

// A reward whose next state counts the rewards it has seen ("n<k>"), so a lost or doubled one shows.
BanditRewardWrite reward(const std::string& tenant, const std::string& id, const std::string& source) {
  BanditRewardWrite w;
  w.tenant = tenant;
  w.id = id;
  w.source = source;
  w.policy = "p1";
  w.now = kNow;
  w.next = [](const std::string& state) -> Result<std::string> {
    return "n" + std::to_string(state.empty() ? 1 : std::stoi(state.substr(1)) + 1);
  };
  return w;
}

TEST_P(StoreConformance, ABanditIsRewardedOncePerVerificationAndSource) {
  Batch a;
  a.add(verification("acme", "v1", "reject"));
  a.add(verification("acme", "v2", "accept"));
  auto& first = a.add(reward("acme", "v1", "human"));
  auto& twice = a.add(reward("acme", "v1", "human"));
  auto& other_source = a.add(reward("acme", "v1", "downstream"));
  auto& orphan = a.add(reward("acme", "nope", "human"));
  auto& foreign = a.add(reward("zeta", "v2", "human"));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  EXPECT_FALSE(twice.won) << "a replaced label does not reward again";
  EXPECT_TRUE(other_source.won);
  EXPECT_FALSE(orphan.won);
  EXPECT_FALSE(foreign.won);
  EXPECT_EQ(adaptive::state(*store_, "acme", "p1").value(), "n2");
  EXPECT_EQ(adaptive::state(*store_, "acme", "p2").value(), "");
  // Two writers rewarding one policy: every reward is applied to the state the other left.
  std::unique_ptr<Store> second = testing::second_instance(GetParam(), url_);
  Store* stores[2] = {store_.get(), second ? second.get() : store_.get()};
  std::thread threads[2];
  for (int t = 0; t < 2; ++t)
    threads[t] = std::thread([&, t] {
      for (int i = 0; i < 20; ++i) {
        Batch b;
        b.add(reward("acme", "v2", "w" + std::to_string(t) + "-" + std::to_string(i)));
        EXPECT_TRUE(b.apply(*stores[t]).ok());
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(adaptive::state(*store_, "acme", "p1").value(), "n42");
  auto rows = adaptive::bandits(*store_, "acme");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).updated, kNow);
}

TEST_P(StoreConformance, AgreementCountersAdd) {
  Batch a;
  AgreementWrite w;
  w.tenant = "acme";
  w.pairs = {PairCount{"grounding", "risk", 1, 1}, PairCount{"micro_vote", "risk", 1, 0}};
  a.add(w);
  a.add(w);
  AgreementWrite z;
  z.tenant = "zeta";
  z.pairs = {PairCount{"grounding", "risk", 1, 0}};
  a.add(z);
  ASSERT_TRUE(a.apply(*store_).ok());
  auto got = adaptive::agreement(*store_, "acme");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ(got->at(0).a, "grounding");
  EXPECT_EQ(got->at(0).both, 2);
  EXPECT_EQ(got->at(0).agree, 2);
  EXPECT_EQ(got->at(1).a, "micro_vote");
  EXPECT_EQ(got->at(1).agree, 0);
  EXPECT_EQ(adaptive::agreement(*store_, "zeta")->size(), 1u);
}

// ---- anomaly ------------------------------------------------------------------------------

// ---- canary -------------------------------------------------------------------------------

CanaryWrite rollout_write(const std::string& tenant, const std::string& id, const std::string& status, bool expect_running) {
  CanaryWrite w;
  w.tenant = tenant;
  w.id = id;
  w.rollout = CanaryRollout{tenant, id, status, "{\"status\":\"" + status + "\"}", kNow};
  w.expect_running = expect_running;
  w.audit = AuditDraft{"canary.started", tenant, json::Value::object().set("rollout", id), kNow};
  return w;
}

TEST_P(StoreConformance, ARolloutIsReplacedButAnEndedOneIsNotRevivedByItsOwnSteps) {
  EXPECT_FALSE(canary::rollout(*store_, "acme")->has_value());
  Batch a;
  a.add(rollout_write("acme", "r1", "running", false));
  a.add(rollout_write("beta", "r2", "running", false));
  auto& ended = a.add(rollout_write("acme", "r1", "rolled_back", true));
  ASSERT_TRUE(a.apply(*store_).ok());
  EXPECT_TRUE(ended.won);
  Batch b;
  auto& late = b.add(rollout_write("acme", "r1", "running", true));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_FALSE(late.won) << "a step after the rollout ended changes nothing";
  auto r = canary::rollout(*store_, "acme");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ(r.value()->status, "rolled_back");
  EXPECT_EQ(r.value()->body, "{\"status\":\"rolled_back\"}");
  auto running = canary::running(*store_);
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ(running.value()[0].tenant, "beta");
  Batch c;
  auto& fresh = c.add(rollout_write("acme", "r3", "running", false));
  ASSERT_TRUE(c.apply(*store_).ok());
  EXPECT_TRUE(fresh.won) << "a new rollout replaces an ended one";
  EXPECT_EQ(canary::rollout(*store_, "acme")->value().id, "r3");
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 4) << "every won write is audited";
}

CanaryObservationWrite observation(const std::string& rollout, int64_t phase, const std::string& cohort,
                                   const std::string& id, int64_t created, int64_t max_samples = 3) {
  CanaryObservationWrite w;
  w.tenant = "acme";
  w.id = id;
  w.rollout = rollout;
  w.phase = phase;
  w.max_samples = max_samples;
  w.o.cohort = cohort;
  w.o.verification_id = id;
  w.o.latency_ms = 1.5;
  w.o.escalated = cohort == "canary";
  w.o.served = cohort != "canary";
  w.o.cost_usd = 0.25;
  w.o.created = created;
  return w;
}

TEST_P(StoreConformance, ObservationsAreKeptPerPhaseBoundedAndReadWithTheirLabelsAndSpend) {
  Batch a;
  a.add(rollout_write("acme", "r1", "running", false));
  for (const char* id : {"v1", "v2", "v3"}) a.add(verification("acme", id, "accept"));
  a.add(label("acme", "v1", "downstream", true));
  a.add(label("acme", "v1", "human", false));
  a.add(label("acme", "v2", "downstream", true));
  for (const auto& [event, nanos] : {std::make_pair("u1", 2 * kNanosPerUsd), std::make_pair("u2", kNanosPerUsd / 2)}) {
    UsageWrite u = usage("acme", event, nanos);
    u.attribution.verification_id = "v2";
    a.add(std::move(u));
  }
  ASSERT_TRUE(a.apply(*store_).ok());
  Batch b;
  auto& first = b.add(observation("r1", 0, "baseline", "v2", kNow + 2));
  b.add(observation("r1", 0, "baseline", "v1", kNow + 1));
  b.add(observation("r1", 0, "baseline", "v3", kNow + 3));
  auto& full = b.add(observation("r1", 0, "baseline", "v4", kNow + 4));
  auto& canary_one = b.add(observation("r1", 0, "canary", "v5", kNow + 5));
  auto& other_phase = b.add(observation("r1", 1, "canary", "v6", kNow + 6));
  auto& other_rollout = b.add(observation("r9", 0, "canary", "v7", kNow + 7));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  EXPECT_FALSE(full.won) << "recording stops at max_samples";
  EXPECT_TRUE(canary_one.won) << "the bound is per cohort";
  EXPECT_FALSE(other_phase.won) << "only the stored phase records";
  EXPECT_FALSE(other_rollout.won) << "only the running rollout records";
  auto seen = canary::observations(*store_, "acme", "r1", 0, "baseline", 10);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 3u);
  EXPECT_EQ(seen.value()[0].verification_id, "v1") << "in order of arrival";
  EXPECT_EQ(seen.value()[0].label, 0) << "a human's label first";
  EXPECT_EQ(seen.value()[1].label, 1);
  EXPECT_EQ(seen.value()[2].label, -1) << "unlabelled";
  EXPECT_DOUBLE_EQ(seen.value()[0].cost_usd, 0.25) << "the request's own cost";
  EXPECT_DOUBLE_EQ(seen.value()[1].cost_usd, 2.5) << "the spend of the usage events naming the verification";
  EXPECT_TRUE(seen.value()[1].served);
  EXPECT_EQ(canary::observations(*store_, "acme", "r1", 0, "baseline", 2)->size(), 2u);
  auto counts = canary::observed(*store_, "acme", "r1", 0);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts.value(), std::make_pair(int64_t(3), int64_t(1)));

  auto head = canary::running_head(*store_, "acme");
  ASSERT_TRUE(head.ok() && head->has_value());
  Batch c;
  auto moved = rollout_write("acme", "r1", "running", true);
  moved.rollout.phase = 1;
  moved.expect_revision = head.value()->revision;
  auto& step = c.add(std::move(moved));
  ASSERT_TRUE(c.apply(*store_).ok());
  ASSERT_TRUE(step.won);
  EXPECT_EQ(step.rollout.revision, head.value()->revision + 1);
  EXPECT_EQ(canary::observed(*store_, "acme", "r1", 0).value(), std::make_pair(int64_t(0), int64_t(0)))
      << "a new phase drops the earlier ones";
  Batch d;
  auto& now_recorded = d.add(observation("r1", 1, "canary", "v6", kNow + 6));
  ASSERT_TRUE(d.apply(*store_).ok());
  EXPECT_TRUE(now_recorded.won);
}

TEST_P(StoreConformance, OfTwoInstancesEvaluatingOneRevisionOneStepsAndOnlyItsPromotionApplies) {
  Batch a;
  a.add(rollout_write("acme", "r1", "running", false));
  ASSERT_TRUE(a.apply(*store_).ok());
  const int64_t revision = canary::running_head(*store_, "acme")->value().revision;
  auto evaluation = [&](const std::string& status, int64_t phase) {
    auto w = rollout_write("acme", "r1", status, true);
    w.rollout.phase = phase;
    w.expect_revision = revision;
    return w;
  };
  Batch first, second;
  auto& held = first.add(evaluation("running", 1));
  auto& promoted = second.add(evaluation("promoted", 1));
  auto& promotion = second.add(policy("acme", "RiskRoutingPolicy", "sha256:cand"));
  promotion.only_if_won = &promoted;
  ASSERT_TRUE(first.apply(*store_).ok());
  ASSERT_TRUE(second.apply(*store_).ok());
  EXPECT_TRUE(held.won);
  EXPECT_FALSE(promoted.won) << "the second evaluation of one revision changes nothing";
  EXPECT_FALSE(promotion.won) << "nor does its promotion";
  EXPECT_TRUE(policies::active(*store_, "acme")->empty());
  EXPECT_EQ(canary::rollout(*store_, "acme")->value().status, "running");
  Batch late_start;
  auto& start = late_start.add(rollout_write("acme", "r2", "running", false));
  ASSERT_TRUE(late_start.apply(*store_).ok());
  EXPECT_FALSE(start.won) << "a start never replaces a running rollout";
  EXPECT_EQ(verify_chain(*store_).find("count")->as_int(), 2);
}

TEST_P(StoreConformance, AnomalyEventsAreWrittenOnceAuditedAndPagedPerTenant) {
  Batch b;
  auto& first = b.add(event("a", "s@2.0", 10, "{\"n\":1}"));
  b.add(event("a", "s@1.0", 10));
  b.add(event("a", "r@9.0", 20));
  b.add(event("b", "s@1.0", 10));
  b.add(event("a", "S@1.0", 10));
  auto& dup = b.add(event("a", "s@2.0", 30, "{\"n\":2}"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_TRUE(first.won);
  EXPECT_FALSE(dup.won);
  EXPECT_EQ(dup.winner_body, "{\"n\":1}");
  EXPECT_EQ(audit::head(*store_)->seq, 5);  // the duplicate is not audited

  auto all = anomaly::events(*store_, "a", -1, "", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"S@1.0", "s@1.0", "s@2.0", "r@9.0"})) << "byte order on both";
  EXPECT_EQ((*all)[2].body, "{\"n\":1}");
  // A cursor inside a millisecond shared by several events.
  EXPECT_EQ(ids(*anomaly::events(*store_, "a", 10, "s@1.0", 100)), (std::vector<std::string>{"s@2.0", "r@9.0"}));
  EXPECT_EQ(ids(*anomaly::events(*store_, "a", 10, "s@2.0", 1)), (std::vector<std::string>{"r@9.0"}));
  EXPECT_EQ(ids(*anomaly::events(*store_, "b", -1, "", 100)), (std::vector<std::string>{"s@1.0"}));
  EXPECT_TRUE(anomaly::events(*store_, "c", -1, "", 100)->empty());
  EXPECT_EQ(anomaly::event(*store_, "a", "s@2.0")->value(), "{\"n\":1}");
  EXPECT_FALSE(anomaly::event(*store_, "b", "s@2.0")->has_value());
}

TEST_P(StoreConformance, ExpiredAnomalyEventsArePurged) {
  Batch b;
  b.add(event("a", "old", 10));
  b.add(event("a", "new", 2000000));  // expire at 1000010 and 3000000
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_EQ(anomaly::purge_expired(*store_, 2000000).value(), 1);
  EXPECT_EQ(ids(*anomaly::events(*store_, "a", -1, "", 100)), (std::vector<std::string>{"new"}));
  EXPECT_EQ(anomaly::purge_expired(*store_, 2000000).value(), 0);
}

TEST_P(StoreConformance, StateDocumentsAreReplacedByTheLastWrite) {
  EXPECT_FALSE(anomaly::state(*store_, "a", "model")->has_value());
  Batch b;
  b.add(state("a", "model", "{\"v\":1}"));
  b.add(state("a", "model", "{\"v\":2}"));
  ASSERT_TRUE(b.apply(*store_).ok());
  EXPECT_EQ(anomaly::state(*store_, "a", "model")->value(), "{\"v\":2}");
  EXPECT_FALSE(anomaly::state(*store_, "a", "feedback")->has_value());
  EXPECT_FALSE(anomaly::state(*store_, "b", "model")->has_value());
}

// ---- the store as a whole -----------------------------------------------------------------

TEST_P(StoreConformance, AFailingWriteRollsBackItsWholeBatch) {
  Batch setup;
  setup.add(tenant_with_budget("acme", "1"));
  ASSERT_TRUE(setup.apply(*store_).ok());
  Batch b;
  b.add(verdict("acme", "kept?", 200, "{}"));
  b.add(usage("beta", "u", 5));
  auto& bad = b.add(usage("acme", "bad", 5));
  bad.judge = [](const StoredBudget&, const SpendReader&, UsageWrite&) -> Status {
    return make_error("internal", "injected");
  };
  Status s = b.apply(*store_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "injected");
  EXPECT_FALSE(pcs::verdict(*store_, "acme", "kept?", 1500)->has_value());
  EXPECT_EQ(month_spend(*store_, "beta"), 0);
  EXPECT_EQ(audit::head(*store_)->seq, 0);
}

TEST_P(StoreConformance, MigrationsRunOnceAndTheDataStays) {
  Batch a;
  a.add(verdict("acme", "p", 200, "{}"));
  ASSERT_TRUE(a.apply(*store_).ok());
  store_.reset();
  auto again = GetParam() == "postgres" ? open_postgres_store(url_) : open_sqlite_store(dir_.path + "/flk.sqlite");
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto got = pcs::verdict(*again.value(), "acme", "p", 1000);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(verify_chain(*again.value()).find("count")->as_int(), 1);
}

TEST_P(StoreConformance, ReadsRunInParallelWithTheWriter) {
  Batch setup;
  setup.add(verdict("acme", "p", 200, "{}"));
  ASSERT_TRUE(setup.apply(*store_).ok());
  std::atomic<int> found{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t)
    readers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) found += pcs::verdict(*store_, "acme", "p", 1500).value().has_value();
    });
  for (int i = 0; i < 20; ++i) {
    Batch b;
    b.add(verdict("acme", "w" + std::to_string(i), 200, "{}"));
    EXPECT_TRUE(b.apply(*store_).ok());
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(found.load(), 400);
}

// One mixed workload: every write type, duplicates, a budget set mid-batch, refusals, expiry.
// Its transcript (each write's outcome, every read, the audit chain) must not depend on the database.
std::string transcript(Store& s) {
  std::string out;
  auto note = [&](const std::string& line) { out += line + "\n"; };
  auto outcome = [&](Write& w) {
    std::string line = w.type().name + std::string(" ") + w.tenant + "/" + w.id + " won=" + std::to_string(w.won) +
                       " refused=" + std::to_string(w.refused);
    if (auto* k = dynamic_cast<KeyedWrite*>(&w)) line += " winner=" + std::to_string(k->winner_status) + k->winner_body;
    note(line);
  };
  auto run = [&](Batch& b) {
    Status st = b.apply(s);
    note(st.ok() ? "batch ok" : "batch failed " + st.error().code);
    for (size_t i = 0; i < b.size(); ++i) outcome(b[i]);
  };
  Batch one;
  one.add(tenant_with_budget("t1", "1"));
  one.add(key("t1", "k1", 1));
  for (int i = 0; i < 12; ++i) {
    one.add(usage("t1", "u" + std::to_string(i % 9), kNanosPerUsd / 8));
    one.add(verdict(i % 2 ? "t1" : "t2", "p" + std::to_string(i % 5), 200 + i, "{\"i\":" + std::to_string(i) + "}"));
    one.add(event("t1", "a" + std::to_string(i % 4), 10 + i));
  }
  one.add(upload("t1", "d1"));
  one.add(state("t1", "model", "{\"m\":1}"));
  run(one);
  Batch two;
  two.add(tenant_with_budget("t1", "3"));
  for (int i = 0; i < 8; ++i) two.add(usage("t1", "u" + std::to_string(i + 5), kNanosPerUsd / 4, kNow + 86400000));
  two.add(key("t1", "k1", 2));
  two.add(upload("t1", "d1"));
  two.add(verdict("t1", "p1", 299, "{\"late\":1}", 1000000, 10));
  two.add(verdict("t1", "p2", 299, "{\"late\":2}", 1500, 10));
  run(two);
  note("spent=" + std::to_string(month_spend(s, "t1")));
  const auto rows = usage::events(s, "t1", 0, kNow + 2 * 86400000);
  for (auto& r : rows.value())
    note("usage " + r.event_id + " " + std::to_string(r.created_ms) + " " + r.body + " " + r.input);
  const auto events = anomaly::events(s, "t1", -1, "", 100);
  for (auto& e : events.value()) note("anomaly " + e.id + " " + e.body);
  const auto ts = tenants::all(s);
  for (auto& t : ts.value()) note("tenant " + t.id + " " + t.budget_json + " keys=" + std::to_string(t.keys.size()));
  for (auto& e : testing::all_entries(s)) note(e);
  return out;
}

TEST(StoreTranscript, SqliteAndPostgresGiveTheSameTranscript) {
  TempDir dir;
  auto lite = testing::fresh_store("sqlite", dir);
  auto pg = testing::fresh_store("postgres", dir);
  ASSERT_NE(lite, nullptr);
  ASSERT_NE(pg, nullptr);
  const std::string a = transcript(*lite), b = transcript(*pg);
  EXPECT_GT(a.size(), 1000u);
  EXPECT_NE(a.find("refused=1"), std::string::npos) << "the workload has budget refusals";
  EXPECT_EQ(a, b);
}

TEST(SqliteStore, ASecondServerOnTheSameFileIsRefused) {
  TempDir dir;
  auto a = open_sqlite_store(dir.path + "/flk.sqlite");
  ASSERT_TRUE(a.ok());
  auto b = open_sqlite_store(dir.path + "/flk.sqlite");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "store_busy");
}

// A database from before store areas (one global schema version, at 4) opens as it is, and rows
// stored before usage events kept their input stay readable.
TEST(SqliteStore, ADatabaseFromBeforeStoreAreasOpensWithItsData) {
  TempDir dir;
  const std::string path = dir.path + "/flk.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);"
      "INSERT INTO schema_migrations VALUES (1, 0), (2, 0), (3, 0), (4, 0);"
      "CREATE TABLE pcs_results (tenant TEXT NOT NULL, pcs_id TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
      " created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (tenant, pcs_id));"
      "CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, entry TEXT NOT NULL);"
      "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);"
      "INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');"
      "CREATE TABLE tenants (id TEXT PRIMARY KEY, rate_per_sec DOUBLE PRECISION NOT NULL, burst DOUBLE PRECISION NOT NULL,"
      " budget TEXT);"
      "CREATE TABLE usage_events (tenant TEXT NOT NULL, event_id TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
      " created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, cost_nanos BIGINT NOT NULL DEFAULT 0,"
      " input TEXT NOT NULL DEFAULT '', PRIMARY KEY (tenant, event_id));"
      "INSERT INTO usage_events (tenant, event_id, status, body, created_ms, expires_ms) VALUES ('acme', 'old', 200,"
      " '{\"total_usd\":\"0.5\"}', " + std::to_string(kNow) + ", " + std::to_string(kNow + 1000) + ");"
      "INSERT INTO tenants VALUES ('acme', 5, 10, NULL);";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto rows = usage::events(*store.value(), "acme", 0, kNow + 1);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0].input, "") << "no input to re-price from";
  EXPECT_EQ(rows.value()[0].body, "{\"total_usd\":\"0.5\"}");
  EXPECT_EQ(tenants::all(*store.value())->at(0).rate_per_sec, 5);
  Batch again;
  auto& old = again.add(usage("acme", "old", kNanosPerUsd));
  ASSERT_TRUE(again.apply(*store.value()).ok());
  EXPECT_FALSE(old.won) << "its id stays taken";
}

TEST(SqliteStore, ADatabaseAtAnOlderGlobalVersionIsRefusedWithAReason) {
  TempDir dir;
  const std::string path = dir.path + "/flk.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);"
                         "INSERT INTO schema_migrations VALUES (1, 0), (2, 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = open_sqlite_store(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("schema version 2"), std::string::npos) << store.error().message;
}

TEST(PostgresStore, AnUnreachableServerIsUnavailable) {
  auto s = open_postgres_store("postgres://flk@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_unavailable");
}

TEST(TenantsFile, KeysAreCheckedWithTheirPathInPathAndMessage) {
  auto bad = parse_tenants_json(R"({"tenants":[{"id":"a","keys":[{"kid":"k","key":{"alg":"hmac"}}]}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().path, "$.tenants[0].keys[0].key.key");
  // the message names the file's field too (it said "$.key.key: …", the op's own input)
  EXPECT_EQ(bad.error().message.rfind("$.tenants[0].keys[0].key.key: ", 0), 0u) << bad.error().message;
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
  ASSERT_TRUE(projecting.ok()) << projecting.error().message;
  EXPECT_EQ(projecting.value()[0].budget_json, R"({"cap_usd":"5","preemptive":true})");
  auto unclear = parse_tenants_json(R"({"tenants":[{"id":"a","budget":{"cap_usd":"5","preemptive":1}}]})");
  ASSERT_FALSE(unclear.ok());
  EXPECT_EQ(unclear.error().path, "$.tenants[0].budget.preemptive");
  auto wrong = parse_tenants_json(R"({"tenants":[{"id":"a","budget":5}]})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().path, "$.tenants[0].budget");
}

INSTANTIATE_TEST_SUITE_P(Both, StoreConformance, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace flk::server
