// The CSV reader, the FOCUS / CUR importers on the real samples (totals from the data README),
// streaming in arbitrary pieces, and bad rows reported with their line.
#include <gtest/gtest.h>

#include "billing_import.h"
#include "cost/billing.h"
#include "shared_data.h"

using namespace flk;
using namespace flk::cost;

namespace {

struct Collect : CsvSink {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  Status record(const CsvField* f, size_t n, int64_t line) override {
    std::vector<std::string> r;
    for (size_t i = 0; i < n; ++i) r.push_back(f[i].quoted ? "\"" + f[i].text : f[i].text);
    rows.push_back(r);
    lines.push_back(line);
    return Ok{};
  }
};

Result<Collect> read_csv(const std::string& text, size_t piece = 0) {
  CsvReader r;
  Collect c;
  if (piece == 0) piece = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += piece) FLK_TRY(r.feed(std::string_view(text).substr(i, piece), c));
  FLK_TRY(r.finish(c));
  return c;
}

Result<ImportSummary> import(const std::string& text, size_t piece = 0, BillingOptions opt = {}) {
  return test::import_billing(text, piece, opt);
}

BillingTotals sum(const BillingBook& b, const std::string& provider = "", const std::string& category = "") {
  BillingTotals t;
  for (const auto& kv : b.cells)
    if ((provider.empty() || kv.first.provider == provider) && (category.empty() || kv.first.charge_category == category))
      t.add(kv.second);
  return t;
}

}  // namespace

TEST(Csv, QuotesLineBreaksAndLineNumbers) {
  std::string text = "\xEF\xBB\xBF" "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nNULL,,\"\"\rlast,1,2";
  for (size_t piece : {0, 1, 2, 5}) {
    auto c = read_csv(text, piece);
    ASSERT_TRUE(c.ok()) << c.error().message;
    ASSERT_EQ(c->rows.size(), 4u) << piece;
    EXPECT_EQ(c->rows[0], (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(c->rows[1], (std::vector<std::string>{"\"x,1", "\"say \"hi\"", "\"two\nlines"}));
    EXPECT_EQ(c->rows[2], (std::vector<std::string>{"NULL", "", "\""}));
    EXPECT_EQ(c->rows[3], (std::vector<std::string>{"last", "1", "2"}));
    EXPECT_EQ(c->lines, (std::vector<int64_t>{1, 2, 5, 6}));
  }
  EXPECT_EQ(read_csv("a,b\n1,x\"y\n").error().message, "line 2: a quote inside an unquoted field");
  EXPECT_EQ(read_csv("a\n\"x\"y\n").error().message, "line 2: text after a closing quote");
  EXPECT_EQ(read_csv("a\n\"open\n").error().code, "bad_csv");
}

TEST(Billing, Focus10SampleMatchesTheReadmeTotals) {
  bool found = false;
  std::string text = test::read_shared("data/billing/focus/focus-1.0_sample_1000.csv", &found);
  if (!found) GTEST_SKIP() << "no shared data at " << test::shared_dir();
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->format, BillingFormat::focus);
  EXPECT_EQ(s->focus_version, "1.0");
  EXPECT_EQ(s->rows, 1000);
  EXPECT_EQ(s->imported, 1000);
  // 12 Microsoft usage rows carry a negative cost: imported, each reported as a warning; the
  // non-standard Id column is listed.
  EXPECT_EQ(s->skipped, 0);
  EXPECT_EQ(s->warning_count, 12);
  EXPECT_EQ(s->issue_count, 12);
  EXPECT_EQ(s->unknown_columns, std::vector<std::string>{"Id"});
  // README totals carry 11 decimals; money is nano-dollars, each row rounded once (half to even),
  // so a total may differ from the exact sum by at most half a nano-dollar per row.
  auto near = [](Nanos got, Nanos exact_times_100, int64_t rows) {
    Nanos diff = got * 100 - exact_times_100;
    return (diff < 0 ? -diff : diff) <= rows * 50;
  };
  BillingTotals aws = sum(s->book, "AWS"), ms = sum(s->book, "Microsoft"), oracle = sum(s->book, "Oracle");
  EXPECT_EQ(aws.rows, 942);
  EXPECT_EQ(ms.rows, 51);
  EXPECT_EQ(oracle.rows, 7);
  EXPECT_TRUE(near(aws.billed, 1800663861840, 942)) << aws.billed;
  EXPECT_EQ(aws.effective, 13000000000);
  EXPECT_TRUE(near(aws.list, 1814931764060, 942)) << aws.list;
  EXPECT_TRUE(near(ms.billed, 197651418586, 51)) << ms.billed;
  EXPECT_TRUE(near(oracle.billed, 53707392473, 7)) << oracle.billed;
  EXPECT_EQ(oracle.effective, 0);
  EXPECT_EQ(sum(s->book, "", "Usage").rows, 997);
  EXPECT_EQ(sum(s->book, "", "Adjustment").rows, 2);
  EXPECT_EQ(sum(s->book, "", "Credit").rows, 1);
  // Streaming in awkward pieces gives the same book.
  for (size_t piece : {1, 7, 4093}) {
    auto p = import(text, piece);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->book.cells.size(), s->book.cells.size());
    auto a = p->book.cells.begin();
    for (const auto& kv : s->book.cells) {
      EXPECT_FALSE(kv.first < a->first || a->first < kv.first);
      EXPECT_EQ(kv.second.billed, a->second.billed);
      ++a;
    }
  }
}

TEST(Billing, LegacyCurSampleMatchesTheReadmeTotals) {
  bool found = false;
  std::string text = test::read_shared("data/billing/cur/aws_cur_legacy_anonymized_2023-11.csv", &found);
  if (!found) GTEST_SKIP() << "no shared data";
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->format, BillingFormat::cur);
  EXPECT_EQ(s->imported, 1281);
  BillingTotals all = sum(s->book);
  Nanos d = all.billed * 100 - 168230869740;  // README: 1.68230869740 USD, 1281 rows
  EXPECT_LE(d < 0 ? -d : d, 1281 * 50) << all.billed;
  d = all.list * 100 - 335617269490;  // pricing/publicOnDemandCost 3.35617269490
  EXPECT_LE(d < 0 ? -d : d, 1281 * 50) << all.list;
  EXPECT_EQ(sum(s->book, "", "Tax").rows, 12);
  EXPECT_EQ(sum(s->book, "", "Tax").billed, 80000000);  // tax 0.08
}

TEST(Billing, FocusSpecExamplesImport) {
  const char* files[] = {
      "commitment_discount_flexibility/one_hundred_percent_utilization_with_commitment_discount_flexibility_with_1_resource.csv",
      "commitment_discount_scenarios/commitment_discount_usage_scenario_3.csv",
      "saas_examples/simple_agreements/simple_saas_agreements_a1.csv",
      "saas_examples/spend_agreements/saas_spend_agreements_b2.csv",
      "saas_examples/virtual_currency_pricing_model_a2.csv",
  };
  for (const char* f : files) {
    bool found = false;
    std::string text = test::read_shared(std::string("data/billing/focus/spec_examples/") + f, &found);
    if (!found) GTEST_SKIP() << "no shared data";
    auto s = import(text);
    ASSERT_TRUE(s.ok()) << f << ": " << s.error().message;
    EXPECT_EQ(s->skipped, 0) << f << (s->issues.empty() ? "" : ": " + s->issues[0].message);
  }
  bool found = false;
  auto a1 = import(test::read_shared("data/billing/focus/spec_examples/saas_examples/simple_agreements/simple_saas_agreements_a1.csv", &found));
  EXPECT_EQ(sum(a1->book).billed, 10000000000000);  // "$10,000.00 "
  EXPECT_EQ(a1->non_standard_numbers, 3);
  auto vc = import(test::read_shared("data/billing/focus/spec_examples/saas_examples/virtual_currency_pricing_model_a2.csv", &found));
  EXPECT_EQ(vc->focus_version, "1.2");
  EXPECT_EQ(sum(vc->book).effective, 1230000000000);
}

TEST(Billing, Cur20ColumnsAndConverterRules) {
  std::string text =
      "bill_payer_account_id,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,"
      "line_item_product_code,line_item_unblended_cost,line_item_net_unblended_cost,line_item_currency_code,"
      "savings_plan_savings_plan_effective_cost,pricing_public_on_demand_cost,resource_tags\n"
      "1,2,Usage,2025-09-01T00:00:00Z,AmazonBedrock,1.5E-3,,USD,,0.002,\"{\"\"user_tenant\"\":\"\"acme\"\"}\"\n"
      "1,2,SavingsPlanCoveredUsage,2025-09-01T00:00:00Z,AmazonEC2,0.10,,USD,0.06,0.10,\n"
      "1,2,Tax,2025-09-02T00:00:00Z,AmazonBedrock,0.2,0.19,USD,,,\n";
  BillingOptions opt;
  opt.tenant_tags = {"user_tenant"};
  auto s = import(text, 0, opt);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->imported, 3);
  BillingKey bedrock{"AWS", "AmazonBedrock", "acme", "", "Usage", "USD", 20332};  // 2025-09-01
  ASSERT_EQ(s->book.cells.count(bedrock), 1u);
  EXPECT_EQ(s->book.cells[bedrock].billed, 1500000);
  EXPECT_EQ(sum(s->book, "", "Tax").billed, 190000000);         // the net cost wins when present
  EXPECT_EQ(sum(s->book, "", "Usage").effective, 1500000 + 60000000);  // savings-plan effective cost
}

TEST(Billing, BadRowsAreReportedWithLineAndColumn) {
  std::string text =
      "BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,Tags\n"
      "1.00,2025-09-01,A,USD,\n"
      "one,2025-09-01,A,USD,\n"
      "2.00,2025-09-01,A,USD\n"
      "3.00,2025-13-01,A,USD,\n"
      "4.00,2025-09-02,A,USD,\"{not json}\"\n"
      "5.00,2025-09-02,A,USD,\"{\"\"tenant\"\":\"\"t\"\"}\"\n";
  auto s = import(text);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rows, 6);
  EXPECT_EQ(s->imported, 2);
  ASSERT_EQ(s->issues.size(), 4u);
  EXPECT_EQ(s->issues[0].line, 3);
  EXPECT_EQ(s->issues[0].column, "BilledCost");
  EXPECT_EQ(s->issues[1].line, 4);
  EXPECT_EQ(s->issues[1].message, "expected 5 fields, got 4");
  EXPECT_EQ(s->issues[2].column, "ChargePeriodStart");
  EXPECT_EQ(s->issues[3].column, "Tags");
  EXPECT_EQ(sum(s->book).billed, 6000000000);
  BillingOptions strict;
  strict.strict = true;
  auto e = import(text, 0, strict);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "bad_csv");
  EXPECT_EQ(e.error().message.rfind("line 3, column BilledCost", 0), 0u) << e.error().message;
  EXPECT_EQ(import("Cost,Date\n1,2\n").error().code, "bad_csv");
  EXPECT_EQ(import("BilledCost,ServiceName\n1,a\n").error().message, "line 1: FOCUS column ChargePeriodStart is missing");
  EXPECT_EQ(import("").error().message, "the input has no header line");
}

// A money field of 1 MiB of padding reads as its number. Its spaces were once erased one at a time
// (four such fields took 45.9 s); the reader now walks a view of the field once, so the work is
// linear by construction. This test checks the values only: speed is measured, not tested.
TEST(Billing, PaddedMoneyFieldsOfAMebibyteAreRead) {
  const std::string row = std::string((1 << 20) - 2, ' ') + "1,1,,USD,Usage,2025-09-01 00:00:00,OpenAI,OpenAI API\n";
  std::string text = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ProviderName,ServiceName\n";
  for (int i = 0; i < 4; ++i) text += row;
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->skipped, 0);
  EXPECT_EQ(s->non_standard_numbers, 4);
  EXPECT_EQ(sum(s->book).billed, 4000000000);
}
