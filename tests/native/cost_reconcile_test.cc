// Reconciliation end to end through the facade: usage events go into the ledger; a FOCUS 1.2
// export is built from the same usage the way a provider bills it (one line per day, tenant and
// model). The two must reconcile to exactly 0; then injected discrepancies must be found and
// attributed to their service, day and model, and stray charges must land in the unallocated bucket.
#include <gtest/gtest.h>

#include <map>

#include "facade/engine.h"
#include "json/parse.h"
#include "json/write.h"
#include "util/decimal.h"

using namespace flk;

namespace {

json::Value obj(const std::string& text) { return *json::parse(text); }

int64_t nanos(const json::Value* v) { return *parse_decimal(v->as_string(), 9); }

struct Line {
  std::string provider, service, model, tenant, day;
  int64_t billed = 0;
};

class Reconcile : public ::testing::Test {
 protected:
  void SetUp() override {
    // 30 days of usage, two tenants, three models over two providers; counts from a fixed LCG.
    uint64_t s = 42;
    auto next = [&](int lo, int hi) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      return lo + static_cast<int>((s >> 33) % static_cast<uint64_t>(hi - lo + 1));
    };
    struct M {
      const char *provider, *service, *billing_provider, *model;
    };
    const M models[] = {{"openai", "OpenAI API", "OpenAI", "gpt-4o"},
                        {"openai", "OpenAI API", "OpenAI", "gpt-4o-mini"},
                        {"anthropic", "Claude API", "Anthropic", "claude-sonnet-4-20250514"}};
    json::Value events = json::Value::array();
    int id = 0;
    std::vector<std::vector<std::string>> keys;  // per event: provider, service, model, tenant, day
    for (int day = 1; day <= 30; ++day) {
      char date[16];
      std::snprintf(date, sizeof date, "2025-09-%02d", day);
      for (const M& m : models)
        for (const char* tenant : {"acme", "beta"}) {
          int n = next(2, 8);
          for (int k = 0; k < n; ++k) {
            json::Value e = json::Value::object();
            e.set("event_id", "ev-" + std::to_string(++id)).set("tenant", tenant).set("task", "rag_query");
            e.set("timestamp", std::string(date) + "T" + (k < 10 ? "0" : "") + std::to_string(k) + ":15:00Z");
            e.set("model", m.model).set("verified", k % 4 != 0);
            json::Value u = json::Value::object();
            int in = next(500, 20000), out = next(50, 2000), cached = next(0, in / 2);
            if (std::string(m.provider) == "openai") {
              u.set("prompt_tokens", in).set("completion_tokens", out);
              u.set("prompt_tokens_details", json::Value::object().set("cached_tokens", cached));
            } else {
              e.set("provider", "anthropic");
              u.set("input_tokens", in).set("output_tokens", out).set("cache_read_input_tokens", cached);
              u.set("cache_creation_input_tokens", next(0, 300));
            }
            e.set("usage", std::move(u));
            events.push(std::move(e));
            keys.push_back({m.billing_provider, m.service, m.model, tenant, date});
          }
        }
    }
    auto rec = engine.call_value("cost.ledger.record", json::Value::object().set("events", events));
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    ASSERT_EQ(rec->find("recorded")->as_int(), id);
    // The provider's bill: the same usage summed per day, tenant and model.
    std::map<std::vector<std::string>, int64_t> bill;
    const auto& results = rec->find("results")->as_array();
    for (size_t i = 0; i < results.size(); ++i) bill[keys[i]] += nanos(results[i].find("total_usd"));
    for (const auto& kv : bill) lines.push_back({kv.first[0], kv.first[1], kv.first[2], kv.first[3], kv.first[4], kv.second});
    tracked_total = nanos(rec->find("charged_usd"));
  }

  std::string focus_csv(const std::vector<Line>& ls, const std::string& extra = "") const {
    std::string csv =
        "BilledCost,EffectiveCost,ListCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ChargePeriodStart,"
        "ChargePeriodEnd,ProviderName,ServiceName,PricingCurrency,Tags\n";
    for (const Line& l : ls)
      csv += format_decimal(l.billed, 9) + "," + format_decimal(l.billed, 9) + ",," + "USD,2025-09-01,Usage," + l.day +
             "T00:00:00Z,," + l.provider + "," + l.service + ",USD,\"{\"\"tenant\"\":\"\"" + l.tenant +
             "\"\",\"\"model\"\":\"\"" + l.model + "\"\"}\"\n";
    return csv + extra;
  }

  json::Value reconcile(const std::string& csv) {
    EXPECT_TRUE(engine.call_value("cost.billing.reset", json::Value::object()).ok());
    auto imp = engine.call_value("cost.billing.import", json::Value::object().set("csv_text", csv));
    EXPECT_TRUE(imp.ok()) << imp.error().message;
    EXPECT_EQ(imp->find("skipped")->as_int(), 0);
    auto r = engine.call_value(
        "cost.reconcile", obj(R"({"period":"2025-09","service_map":{"openai":"OpenAI API","anthropic":"Claude API"}})"));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  static const json::Value& service(const json::Value& rep, const std::string& name) {
    for (const json::Value& s : rep.find("services")->as_array())
      if (s.find("service")->as_string() == name) return s;
    static const json::Value none;
    ADD_FAILURE() << "no service " << name;
    return none;
  }

  Engine engine;
  std::vector<Line> lines;
  int64_t tracked_total = 0;
};

}  // namespace

TEST_F(Reconcile, SameUsageReconcilesToZero) {
  const char* tax = "0.42,0.42,,USD,2025-09-01,Tax,2025-09-30T00:00:00Z,,OpenAI,OpenAI API,USD,\n";
  json::Value rep = reconcile(focus_csv(lines, tax));
  EXPECT_EQ(nanos(rep.find("tracked_usd")), tracked_total);
  EXPECT_EQ(nanos(rep.find("billed_usd")), tracked_total);
  EXPECT_EQ(rep.find("delta_usd")->as_string(), "0.00");
  EXPECT_EQ(rep.find("delta_pct")->as_double(), 0.0);
  EXPECT_FALSE(rep.find("alert")->as_bool());
  EXPECT_EQ(rep.find("status")->as_string(), "within_target");
  EXPECT_EQ(rep.find("unallocated")->find("billed_usd")->as_string(), "0.00");
  EXPECT_EQ(rep.find("other_charges")->find("Tax")->as_string(), "0.42");
  for (const json::Value& s : rep.find("services")->as_array()) EXPECT_EQ(s.find("delta_usd")->as_string(), "0.00");
}

TEST_F(Reconcile, InjectedDiscrepanciesAreFoundAndAttributed) {
  // 1. OpenAI over-bills gpt-4o for acme on 2025-09-03 by 4 % of OpenAI's month.
  // 2. Anthropic's lines of 2025-09-20 and 2025-09-21 are missing from the bill.
  // 3. An S3 charge nobody tracked.
  int64_t openai = 0, claude_missing = 0;
  for (const Line& l : lines)
    if (l.provider == "OpenAI") openai += l.billed;
  const int64_t overbill = openai / 25 / 10000000 * 10000000;  // 4 %, whole cents
  std::vector<Line> billed;
  for (Line l : lines) {
    if (l.provider == "OpenAI" && l.model == "gpt-4o" && l.tenant == "acme" && l.day == "2025-09-03") l.billed += overbill;
    if (l.provider == "Anthropic" && (l.day == "2025-09-20" || l.day == "2025-09-21")) {
      claude_missing += l.billed;
      continue;
    }
    billed.push_back(l);
  }
  json::Value rep = reconcile(focus_csv(billed, "5.00,5.00,,USD,2025-09-01,Usage,2025-09-12T00:00:00Z,,AWS,Amazon S3,USD,\n"));
  EXPECT_TRUE(rep.find("alert")->as_bool());
  const json::Value& o = service(rep, "OpenAI API");
  EXPECT_EQ(nanos(o.find("delta_usd")), overbill);
  EXPECT_TRUE(o.find("alert")->as_bool());
  EXPECT_EQ(o.find("status")->as_string(), "drift_detected");  // between 3 % and 5 %
  const auto& odays = o.find("days")->as_array();
  ASSERT_EQ(odays.size(), 1u);
  EXPECT_EQ(odays[0].find("day")->as_string(), "2025-09-03");
  EXPECT_EQ(nanos(odays[0].find("delta_usd")), overbill);
  EXPECT_EQ(o.find("models")->as_array()[0].find("model")->as_string(), "gpt-4o");
  EXPECT_EQ(nanos(o.find("models")->as_array()[0].find("delta_usd")), overbill);
  const json::Value& c = service(rep, "Claude API");
  EXPECT_EQ(nanos(c.find("delta_usd")), -claude_missing);
  EXPECT_EQ(c.find("status")->as_string(), "critical_drift");  // two days of thirty: about 7 %
  const auto& cdays = c.find("days")->as_array();
  ASSERT_EQ(cdays.size(), 2u);
  for (const json::Value& d : cdays) {
    std::string day = d.find("day")->as_string();
    EXPECT_TRUE(day == "2025-09-20" || day == "2025-09-21") << day;
    EXPECT_EQ(d.find("billed_usd")->as_string(), "0.00");
  }
  const json::Value* un = rep.find("unallocated");
  EXPECT_EQ(un->find("billed_usd")->as_string(), "5.00");
  EXPECT_EQ(un->find("services")->as_array()[0].find("service")->as_string(), "Amazon S3");
  EXPECT_EQ(nanos(rep.find("delta_usd")), overbill - claude_missing + 5000000000);
  EXPECT_GE(rep.find("recommendations")->as_array().size(), 3u);
}

TEST_F(Reconcile, SmallDiscrepancyIsReportedWithoutAlert) {
  std::vector<Line> billed = lines;
  billed[0].billed += 1;  // one nano-dollar
  json::Value rep = reconcile(focus_csv(billed));
  EXPECT_EQ(rep.find("delta_usd")->as_string(), "0.000000001");
  EXPECT_FALSE(rep.find("alert")->as_bool());
  EXPECT_EQ(rep.find("status")->as_string(), "within_target");
}

namespace {

// One engine: `events` gpt-4o calls of 2^40 + 2^40 tokens ($13,743,895.3472 each) on 2025-09-01,
// FOCUS lines of OpenAI API with the given billed costs, then the September reconciliation.
Result<json::Value> reconcile_extremes(int events, const std::vector<std::string>& billed) {
  Engine e;
  json::Value ev = json::Value::array();
  for (int i = 0; i < events; ++i)
    ev.push(obj(R"({"event_id":"e)" + std::to_string(i) + R"(","tenant":"t","timestamp":"2025-09-01T12:00:00Z",)"
                R"("provider":"openai","model":"gpt-4o","usage":{"prompt_tokens":1099511627776,)"
                R"("completion_tokens":1099511627776}})"));
  EXPECT_TRUE(e.call_value("cost.ledger.record", json::Value::object().set("events", ev)).ok());
  std::string csv = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ProviderName,ServiceName\n";
  for (size_t i = 0; i < billed.size(); ++i)
    csv += billed[i] + "," + billed[i] + ",,USD,Usage,2025-09-0" + std::to_string(i + 1) + " 00:00:00,OpenAI,OpenAI API\n";
  EXPECT_TRUE(e.call_value("cost.billing.import", json::Value::object().set("csv_text", csv)).ok());
  return e.call_value("cost.reconcile", obj(R"({"period":"2025-09","service_map":{"openai":"OpenAI API"}})"));
}

}  // namespace

// Sums and differences past the money range (±9.2e9 USD) are out_of_range, not wrapped: billed
// -$9.2e9 against $274.9M tracked answered delta_usd 8971866166.765551616 (the true -9.47e9 wrapped)
// and delta_pct -97.5; two lines of $5e9 summed past the range unchecked.
TEST(ReconcileRange, SumsAndDifferencesPastTheMoneyRangeAreRefused) {
  for (const auto& [events, billed] : std::vector<std::pair<int, std::vector<std::string>>>{
           {20, {"-9200000000"}}, {0, {"5000000000", "5000000000"}}}) {
    auto rep = reconcile_extremes(events, billed);
    ASSERT_FALSE(rep.ok()) << json::to_string(*rep).substr(0, 400);
    EXPECT_EQ(rep.error().code, "out_of_range");
    EXPECT_EQ(rep.error().path, "$.period");
  }
}

// A percentage past the int64 range (billed one nano-dollar against $13.7M tracked) is written as a
// number; it was converted to int64 unchecked and printed "-\xEF\xBF\xBD.08%" (bytes that are not UTF-8).
TEST(ReconcileRange, HugePercentagesAreWrittenAsNumbers) {
  auto rep = reconcile_extremes(1, {"0.000000001"});
  ASSERT_TRUE(rep.ok());
  const std::string first = rep->find("recommendations")->as_array()[0].as_string();
  EXPECT_NE(first.find("differ by -1.37438953472e+18%;"), std::string::npos) << first;
}
