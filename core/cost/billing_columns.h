// The columns each billing format names, and what its own vocabulary means in FOCUS terms. The
// Azure and AWS rules follow the FinOps FOCUS converters' mappings (shared/data/billing/mappings);
// GCP follows the BigQuery standard billing export schema, flattened for CSV (`service.description`
// or `service_description`).
#pragma once
#include <string>
#include <vector>

namespace flk::cost {

enum class BillingFormat { automatic, focus, cur, azure, gcp };
const char* billing_format_name(BillingFormat f);

// Normalised columns, located by name in the header.
enum BillingCol {
  kBilled, kEffective, kList, kStart, kCurrency, kProvider, kService, kChargeCategory, kChargeClass, kTags,
  // CUR only
  kLineItemType, kNetUnblended, kSpEffective, kRiEffective, kRiUnusedAmortized, kRiUnusedRecurring,
  // GCP only: the credits applied to the row (a JSON array of {name, amount, …})
  kCredits,
  kBillingColCount
};

// The header's name of column c in format f ("" when the format has none). Azure names are matched
// without regard to case (EA exports write CostInBillingCurrency, MCA exports costInBillingCurrency);
// some columns have several spellings, separated by '|'.
const char* billing_column(BillingFormat f, BillingCol c);
// Header names normalised for matching: legacy CUR lineItem/UnblendedCost → line_item_unblended_cost,
// Azure lower case, GCP service.description → service_description.
std::string normalise_column(BillingFormat f, const std::string& name);
// The format whose signature columns the (raw) header has, or automatic.
BillingFormat detect_billing_format(const std::vector<std::string>& header);
// Whether a normalised column belongs to format f (FOCUS also allows x_ custom columns).
bool known_billing_column(BillingFormat f, const std::string& normalised);
// The format's charge type (CUR line item type, Azure ChargeType, GCP cost_type) as a FOCUS
// ChargeCategory; FOCUS values pass through.
std::string charge_category(BillingFormat f, const std::string& raw);
// The provider a single-provider format implies ("" for FOCUS, which names it per row).
const char* billing_provider(BillingFormat f);

}  // namespace flk::cost
