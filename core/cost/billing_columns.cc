#include "cost/billing_columns.h"

#include <algorithm>
#include <cstring>

#include "util/ascii.h"

namespace flk::cost {
namespace {

struct ColName {
  BillingCol col;
  const char* focus;
  const char* cur;    // CUR 2.0 (legacy CUR is renamed to these)
  const char* azure;  // lower case
  const char* gcp;    // dots as underscores
};

constexpr ColName kCols[] = {
    {kBilled, "BilledCost", "line_item_unblended_cost", "costinbillingcurrency", "cost"},
    {kEffective, "EffectiveCost", nullptr, nullptr, nullptr},
    {kList, "ListCost", "pricing_public_on_demand_cost", "paygcostinbillingcurrency", "cost_at_list"},
    {kStart, "ChargePeriodStart", "line_item_usage_start_date", "date|usagedatetime", "usage_start_time"},
    {kCurrency, "BillingCurrency", "line_item_currency_code", "billingcurrencycode|billingcurrency", "currency"},
    {kProvider, "ProviderName|ServiceProviderName", nullptr, nullptr, nullptr},
    {kService, "ServiceName", "line_item_product_code", "consumedservice", "service_description"},
    {kChargeCategory, "ChargeCategory", nullptr, "chargetype", "cost_type"},
    {kChargeClass, "ChargeClass", nullptr, nullptr, nullptr},
    {kTags, "Tags", "resource_tags", "tags", "labels"},
    {kLineItemType, nullptr, "line_item_line_item_type", nullptr, nullptr},
    {kNetUnblended, nullptr, "line_item_net_unblended_cost", nullptr, nullptr},
    {kSpEffective, nullptr, "savings_plan_savings_plan_effective_cost", nullptr, nullptr},
    {kRiEffective, nullptr, "reservation_effective_cost", nullptr, nullptr},
    {kRiUnusedAmortized, nullptr, "reservation_unused_amortized_upfront_fee_for_billing_period", nullptr, nullptr},
    {kRiUnusedRecurring, nullptr, "reservation_unused_recurring_fee", nullptr, nullptr},
    {kCredits, nullptr, nullptr, nullptr, "credits"},
};

// FOCUS 1.0 (43 columns), 1.1, 1.2 and 1.3 additions.
const char* const kFocusColumns[] = {
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd",
    "ChargePeriodStart", "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountStatus", "CommitmentDiscountType", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory",
    "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId",
    "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId",
    "SubAccountName", "Tags",
    "CapacityReservationId", "CapacityReservationStatus", "CommitmentDiscountQuantity", "CommitmentDiscountUnit",
    "ServiceSubcategory", "SkuMeter", "SkuPriceDetails",
    "BillingAccountType", "InvoiceId", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "SubAccountType",
    "AllocatedMethodDetails", "AllocatedMethodId", "AllocatedResourceId", "AllocatedResourceName", "AllocatedTags",
    "ContractApplied", "HostProviderName", "ServiceProviderName"};

// CUR column groups (CUR 2.0 names; legacy names arrive renamed).
const char* const kCurPrefixes[] = {"bill_", "identity_", "line_item_", "product", "pricing_", "reservation_",
                                    "savings_plan_", "resource_tags", "cost_category", "discount", "split_line_item_"};

// Azure EA and MCA cost-details columns, lower case.
const char* const kAzureColumns[] = {
    "accountname", "accountownerid", "additionalinfo", "availabilityzone", "benefitid", "benefitname",
    "billingaccountid", "billingaccountname", "billingcurrency", "billingcurrencycode", "billingperiodenddate",
    "billingperiodstartdate", "billingprofileid", "billingprofilename", "chargetype", "consumedservice",
    "costallocationrulename", "costcenter", "costinbillingcurrency", "costinpricingcurrency", "costinusd",
    "customername", "customertenantid", "date", "effectiveprice", "exchangeratedate", "exchangeratepricingtobilling",
    "frequency", "invoiceid", "invoicesectionid", "invoicesectionname", "isazurecrediteligible", "location",
    "metercategory", "meterid", "metername", "meterregion", "metersubcategory", "offerid", "partnername",
    "partnertenantid", "partnumber", "paygcostinbillingcurrency", "paygcostinusd", "paygprice", "planname",
    "previousinvoiceid", "pricingcurrency", "pricingmodel", "product", "productid", "productname", "productorderid",
    "productordername", "publisherid", "publishername", "publishertype", "quantity", "reservationid",
    "reservationname", "resellermpnid", "resellername", "resourcegroup", "resourcegroupname", "resourceid",
    "resourcelocation", "resourcename", "serviceinfo1", "serviceinfo2", "servicefamily", "serviceperiodenddate",
    "serviceperiodstartdate", "subscriptionid", "subscriptionname", "tags", "term", "unitofmeasure", "unitprice",
    "usagedatetime"};

// BigQuery standard billing export: top-level fields and the records whose sub-fields flatten to
// <record>_<field>.
const char* const kGcpColumns[] = {"billing_account_id", "usage_start_time", "usage_end_time", "labels",
                                   "system_labels", "export_time", "cost", "currency", "currency_conversion_rate",
                                   "credits", "cost_type", "tags", "cost_at_list", "transaction_type", "seller_name",
                                   "cost_at_effective_price", "cost_at_list_consumption_model"};
const char* const kGcpRecords[] = {"service_", "sku_", "project_", "location_", "resource_", "usage_", "invoice_",
                                   "adjustment_info_", "price_", "subscription_", "consumption_model_"};

template <size_t N>
bool in(const char* const (&list)[N], const std::string& s) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* x) { return s == x; });
}
template <size_t N>
bool has_prefix(const char* const (&list)[N], const std::string& s) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* p) { return s.rfind(p, 0) == 0; });
}

// lineItem/UnblendedCost → line_item_unblended_cost (the CUR 2.0 spelling).
std::string cur_snake(const std::string& legacy) {
  std::string out;
  bool part_start = true;
  for (char c : legacy) {
    if (c == '/') {
      out += '_';
      part_start = true;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      if (!part_start) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
    part_start = false;
  }
  return out;
}

}  // namespace

const char* billing_format_name(BillingFormat f) {
  switch (f) {
    case BillingFormat::automatic: return "auto";
    case BillingFormat::focus: return "focus";
    case BillingFormat::cur: return "cur";
    case BillingFormat::azure: return "azure";
    case BillingFormat::gcp: return "gcp";
  }
  return "auto";
}

const char* billing_column(BillingFormat f, BillingCol c) {
  for (const ColName& n : kCols) {
    if (n.col != c) continue;
    const char* name = f == BillingFormat::focus ? n.focus
                       : f == BillingFormat::cur ? n.cur
                       : f == BillingFormat::azure ? n.azure
                       : f == BillingFormat::gcp ? n.gcp
                                                 : nullptr;
    return name ? name : "";
  }
  return "";
}

std::string normalise_column(BillingFormat f, const std::string& name) {
  if (f == BillingFormat::cur && name.find('/') != std::string::npos) return cur_snake(name);
  if (f == BillingFormat::azure) return ascii_lower(name);
  if (f == BillingFormat::gcp) {
    std::string s = name;
    std::replace(s.begin(), s.end(), '.', '_');
    return s;
  }
  return name;
}

BillingFormat detect_billing_format(const std::vector<std::string>& header) {
  auto has = [&](const char* n) { return std::find(header.begin(), header.end(), n) != header.end(); };
  if (has("BilledCost")) return BillingFormat::focus;
  if (has("line_item_unblended_cost") || has("lineItem/UnblendedCost")) return BillingFormat::cur;
  for (const std::string& h : header)
    if (ascii_lower(h) == "costinbillingcurrency") return BillingFormat::azure;
  if (has("cost") && (has("usage_start_time") || has("usage.start_time"))) return BillingFormat::gcp;
  return BillingFormat::automatic;
}

bool known_billing_column(BillingFormat f, const std::string& n) {
  switch (f) {
    case BillingFormat::focus: return in(kFocusColumns, n) || n.rfind("x_", 0) == 0;
    case BillingFormat::cur: return has_prefix(kCurPrefixes, n);
    case BillingFormat::azure: return in(kAzureColumns, n);
    case BillingFormat::gcp: return in(kGcpColumns, n) || has_prefix(kGcpRecords, n);
    case BillingFormat::automatic: return false;
  }
  return false;
}

std::string charge_category(BillingFormat f, const std::string& t) {
  switch (f) {
    case BillingFormat::cur:
      if (t == "Tax") return "Tax";
      if (t == "Fee" || t == "RIFee" || t == "SavingsPlanUpfrontFee" || t == "SavingsPlanRecurringFee") return "Purchase";
      if (t == "Credit" || t == "Refund") return "Adjustment";
      return "Usage";
    case BillingFormat::azure:
      if (t == "Usage" || t == "UnusedReservation" || t == "UnusedSavingsPlan") return "Usage";
      if (t == "Purchase" || t == "Tax") return t;
      return "Adjustment";
    case BillingFormat::gcp:
      if (t == "regular") return "Usage";
      if (t == "tax") return "Tax";
      return "Adjustment";
    default: return t;
  }
}

const char* billing_provider(BillingFormat f) {
  switch (f) {
    case BillingFormat::cur: return "AWS";
    case BillingFormat::azure: return "Azure";
    case BillingFormat::gcp: return "Google Cloud";
    default: return "";
  }
}

}  // namespace flk::cost
