// Azure cost-details and GCP BigQuery billing exports, and the checks every format shares: unknown
// columns, a second currency, negative usage costs and a cut-off last row, reported per line
// (refused when strict).
#include <gtest/gtest.h>

#include "billing_import.h"
#include "cost/billing.h"
#include "shared_data.h"

using namespace flk;
using namespace flk::cost;

namespace {

Result<ImportSummary> import(const std::string& text, size_t piece = 0, BillingOptions opt = {}) {
  return test::import_billing(text, piece, opt);
}

BillingTotals total(const BillingBook& b) {
  BillingTotals t;
  for (const auto& kv : b.cells) t.add(kv.second);
  return t;
}

// The book cell of a charge category (the samples below have one each).
const std::pair<const BillingKey, BillingTotals>& cell(const BillingBook& b, const std::string& category) {
  for (const auto& kv : b.cells)
    if (kv.first.charge_category == category) return kv;
  return *b.cells.begin();
}

BillingOptions strict() {
  BillingOptions o;
  o.strict = true;
  return o;
}

const char* kGcpHeader =
    "billing_account_id,service.id,service.description,sku.description,usage_start_time,usage_end_time,"
    "project.id,labels,cost,currency,usage.amount,usage.unit,credits,invoice.month,cost_type,cost_at_list\n";

}  // namespace

TEST(BillingAzure, EaSampleMatchesTheReadmeTotal) {
  bool found = false;
  std::string text = test::read_shared("data/billing/azure/azure_ea_cost_anonymized_2023-09.csv", &found);
  if (!found) GTEST_SKIP() << "no shared data at " << test::shared_dir();
  auto s = import(text, 0, strict());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->format, BillingFormat::azure);
  EXPECT_EQ(s->rows, 27);
  EXPECT_EQ(s->imported, 27);
  EXPECT_EQ(s->issue_count, 0);
  EXPECT_TRUE(s->unknown_columns.empty());
  // README: CostInBillingCurrency sums to 1.26136926505726 CAD; each of the 27 rows is rounded
  // once to a nano-dollar, so the total is within 13.5 nano-dollars of 1.261369265.
  BillingTotals t = total(s->book);
  EXPECT_LE(std::abs(t.billed - 1261369265), 13) << t.billed;
  EXPECT_EQ(t.effective, t.billed);
  EXPECT_EQ(t.rows, 27);
  for (const auto& kv : s->book.cells) {
    EXPECT_EQ(kv.first.provider, "Azure");
    EXPECT_EQ(kv.first.currency, "CAD");
    EXPECT_EQ(kv.first.charge_category, "Usage");
    EXPECT_EQ(kv.first.day, 19602);  // 2023-09-02, the Date column (M/D/YYYY)
  }
  for (size_t piece : {1, 13, 1000}) {
    auto p = import(text, piece);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(total(p->book).billed, t.billed);
    EXPECT_EQ(p->book.cells.size(), s->book.cells.size());
  }
}

TEST(BillingAzure, McaCamelCaseTagsAndChargeTypes) {
  std::string text =
      "date,costInBillingCurrency,billingCurrency,consumedService,chargeType,tags,paygCostInBillingCurrency,x\n"
      "2025-09-01,1.50,USD,Microsoft.CognitiveServices,Usage,\"{\"\"tenant\"\": \"\"acme\"\", \"\"model\"\": "
      "\"\"gpt-4o\"\"}\",2.00,a\n"
      "2025-09-01,0.10,USD,Microsoft.CognitiveServices,Tax,,,b\n"
      "2025-09-02,-0.20,USD,Microsoft.CognitiveServices,Refund,\"\"\"tenant\"\": \"\"acme\"\"\",,c\n";
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->format, BillingFormat::azure);
  EXPECT_EQ(s->imported, 3);
  EXPECT_EQ(s->issue_count, 0);  // a negative Refund is an adjustment, not a bad usage row
  EXPECT_EQ(s->unknown_columns, std::vector<std::string>{"x"});
  std::map<std::string, Nanos> by_category;
  for (const auto& kv : s->book.cells) by_category[kv.first.charge_category] += kv.second.billed;
  EXPECT_EQ(by_category["Usage"], 1500000000);
  EXPECT_EQ(by_category["Tax"], 100000000);
  EXPECT_EQ(by_category["Adjustment"], -200000000);
  const auto& first = cell(s->book, "Usage");
  EXPECT_EQ(first.first.tenant, "acme");
  EXPECT_EQ(first.first.model, "gpt-4o");
  EXPECT_EQ(first.second.list, 2000000000);
  auto e = import(text, 0, strict());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "line 1, column x: not a column of the azure format");
}

TEST(BillingGcp, BigQueryExportWithCreditsAndLabels) {
  std::string text = std::string(kGcpHeader) +
                     "0A-1,6F81,Vertex AI,Gemini 2.5 Flash input,2025-09-01 10:00:00 UTC,2025-09-01 11:00:00 UTC,p1,"
                     "\"[{\"\"key\"\":\"\"tenant\"\",\"\"value\"\":\"\"acme\"\"}]\",12.5,USD,1000,tokens,"
                     "\"[{\"\"name\"\":\"\"Free tier\"\",\"\"amount\"\":-2.25,\"\"type\"\":\"\"FREE_TIER\"\"}]\",202509,regular,13.0\n"
                     "0A-1,6F81,Vertex AI,tax,2025-09-01 00:00:00 UTC,2025-09-02 00:00:00 UTC,p1,[],0.75,USD,0,,[],"
                     "202509,tax,\n";
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->format, BillingFormat::gcp);
  EXPECT_EQ(s->imported, 2);
  EXPECT_EQ(s->issue_count, 0);
  EXPECT_TRUE(s->unknown_columns.empty());
  BillingTotals t = total(s->book);
  EXPECT_EQ(t.billed, 13250000000);
  EXPECT_EQ(t.effective, 11000000000);  // 12.5 − 2.25 credits + 0.75 tax
  EXPECT_EQ(t.list, 13000000000);
  const auto& usage = cell(s->book, "Usage");
  EXPECT_EQ(usage.first.provider, "Google Cloud");
  EXPECT_EQ(usage.first.service, "Vertex AI");
  EXPECT_EQ(usage.first.tenant, "acme");
  EXPECT_EQ(usage.first.charge_category, "Usage");
  EXPECT_EQ(usage.first.day, 20332);  // 2025-09-01
  auto bad = import(std::string(kGcpHeader) +
                    "0A-1,6F81,Vertex AI,x,2025-09-01 10:00:00 UTC,,p1,[],1,USD,1,,\"{\"\"no\"\":1}\",202509,regular,\n");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->issues.size(), 1u);
  EXPECT_EQ(bad->issues[0].column, "credits");
  EXPECT_EQ(bad->issues[0].message, "is not a JSON array");
}

TEST(BillingChecks, CurrencyNegativeUsageAndCutOffRowsAreReportedPerLine) {
  std::string text =
      "BilledCost,ChargePeriodStart,ServiceName,BillingCurrency,ChargeCategory,ChargeClass\n"
      "1.00,2025-09-01,A,USD,Usage,\n"
      "2.00,2025-09-01,A,EUR,Usage,\n"
      "-0.50,2025-09-01,A,USD,Usage,\n"
      "-0.25,2025-09-01,A,USD,Usage,Correction\n"
      "-3.00,2025-09-01,A,USD,Credit,\n"
      "abc,2025-09-01,A,USD,Usage,\n"
      "4.00,2025-09-02,\"A cut";
  auto s = import(text);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->rows, 7);
  EXPECT_EQ(s->imported, 5);
  EXPECT_EQ(s->skipped, 2);
  EXPECT_EQ(s->warning_count, 2);
  ASSERT_EQ(s->issues.size(), 4u);
  EXPECT_EQ(s->issues[0].line, 3);
  EXPECT_EQ(s->issues[0].column, "BillingCurrency");
  EXPECT_EQ(s->issues[0].message, "currency EUR differs from the export's USD (kept apart)");
  EXPECT_TRUE(s->issues[0].warning);
  EXPECT_EQ(s->issues[1].line, 4);
  EXPECT_EQ(s->issues[1].message, "negative cost -0.50 on a Usage charge");
  EXPECT_EQ(s->issues[2].line, 7);
  EXPECT_FALSE(s->issues[2].warning);
  EXPECT_EQ(s->issues[3].line, 8);
  EXPECT_EQ(s->issues[3].message, "the input ends inside a quoted field (a cut-off export?)");
  for (const char* want : {"line 3, column BillingCurrency", "line 4, column BilledCost"}) {
    std::string t = text;
    if (want[5] == '4') t.replace(t.find("EUR"), 3, "USD");
    auto e = import(t, 0, strict());
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().message.rfind(want, 0), 0u) << e.error().message;
  }
  // CUR's negative line item types are not bad usage rows; a negative plain Usage row is.
  auto cur = import(
      "line_item_unblended_cost,line_item_usage_start_date,line_item_product_code,line_item_currency_code,"
      "line_item_line_item_type\n"
      "-1.00,2025-09-01,AmazonEC2,USD,SavingsPlanNegation\n-0.10,2025-09-01,AmazonEC2,USD,EdpDiscount\n"
      "-0.20,2025-09-01,AmazonEC2,USD,Usage\n");
  ASSERT_TRUE(cur.ok());
  ASSERT_EQ(cur->issues.size(), 1u);
  EXPECT_EQ(cur->issues[0].line, 4);
  EXPECT_EQ(cur->issues[0].column, "line_item_unblended_cost");
  auto unknown = import("BilledCost,ChargePeriodStart,Custom,x_Team\n1,2025-09-01,a,b\n");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->unknown_columns, std::vector<std::string>{"Custom"});  // x_ columns are FOCUS custom columns
  EXPECT_EQ(import("BilledCost,ChargePeriodStart,Custom\n", 0, strict()).error().message,
            "line 1, column Custom: not a column of the focus format");
}
