// Billing exports → normalised charges, streamed. Formats, told apart by their header:
//   FOCUS 1.0–1.3 (BilledCost, ChargePeriodStart, …; the version is guessed from the columns),
//   AWS CUR 2.0 (line_item_unblended_cost, …) and legacy CUR (lineItem/UnblendedCost, …, read
//   through the same column names), Azure EA / MCA cost details (CostInBillingCurrency, Date, …)
//   and GCP's BigQuery billing export as CSV (cost, usage_start_time, credits, …).
// Money is parsed as exact decimals (FOCUS carries 11 decimals, CUR exponent notation) into
// nano-dollars; digits below a nano-dollar are rounded half to even and counted. A row that fails
// validation is skipped and reported with its line and column; a row that imports but looks wrong
// (a currency other than the export's first, a negative usage cost) is reported as a warning;
// columns the format does not define are listed. Strict imports stop at the first of any of these.
// Charges aggregate into a BillingBook by provider, service, tenant, model, charge category,
// currency and day — what reconciliation needs, in memory that does not grow with the file.
#pragma once
#include <array>
#include <map>
#include <string>
#include <vector>

#include "cost/billing_columns.h"
#include "cost/csv.h"
#include "cost/money.h"

namespace flk::cost {

struct BillingOptions {
  BillingFormat format = BillingFormat::automatic;
  bool strict = false;          // stop at the first bad row
  size_t max_issues = 100;      // issues kept (all are counted)
  std::vector<std::string> tenant_tags = {"tenant", "tenant_id", "user:tenant", "flk_tenant"};
  std::vector<std::string> model_tags = {"model", "gen_ai.request.model", "user:model", "flk_model"};
};

struct BillingKey {
  std::string provider, service, tenant, model, charge_category, currency;
  int32_t day = 0;
  bool operator<(const BillingKey& o) const;
};

struct BillingTotals {
  Nanos billed = 0, effective = 0, list = 0;
  int64_t rows = 0;
  bool add(const BillingTotals& o);
};

// Imported charges; several imports accumulate.
struct BillingBook {
  std::map<BillingKey, BillingTotals> cells;
  bool add(const BillingKey& k, const BillingTotals& t);
};

struct ImportIssue {
  int64_t line = 0;
  std::string column;
  std::string message;
  bool warning = false;  // the row was imported
};

struct ImportSummary {
  BillingFormat format = BillingFormat::automatic;
  std::string focus_version;  // "1.0", "1.1" or "1.2" (from the columns present)
  int64_t rows = 0, imported = 0, skipped = 0;
  int64_t rounded_values = 0;        // money values with digits below a nano-dollar
  int64_t non_standard_numbers = 0;  // "$1,000.00 "-style values accepted
  int64_t bytes = 0;
  int64_t issue_count = 0;     // skipped rows and warnings
  int64_t warning_count = 0;
  std::vector<std::string> unknown_columns;  // as the header spells them
  std::vector<ImportIssue> issues;
  std::vector<std::string> notes;
  BillingBook book;  // this import's charges
};

class BillingImporter : private CsvSink {
 public:
  explicit BillingImporter(BillingOptions opt);
  Status feed(std::string_view chunk);
  // Ends the import; errors if the header was never seen.
  Status finish();
  const ImportSummary& summary() const { return sum_; }
  ImportSummary take() { return std::move(sum_); }

 private:
  Status record(const CsvField* fields, size_t n, int64_t line) override;
  Status header(const CsvField* fields, size_t n, int64_t line);
  Status issue(int64_t line, const std::string& column, const std::string& message, bool warning = false);
  Status check_row(int64_t line, const BillingKey& k, const BillingTotals& t, bool plain_usage);
  Status gcp_credits(const std::string& text, Nanos* total);

  BillingOptions opt_;
  CsvReader csv_;
  ImportSummary sum_;
  bool have_header_ = false;
  size_t width_ = 0;
  std::vector<int> col_;  // by BillingCol, -1 when absent
  std::string first_currency_;
  std::vector<std::pair<std::string, int>> tag_cols_;  // legacy CUR resourceTags/<key> columns
};

}  // namespace flk::cost
