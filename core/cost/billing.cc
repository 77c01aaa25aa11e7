#include "cost/billing.h"

#include <algorithm>
#include <tuple>

#include "json/parse.h"
#include "util/civil_time.h"
#include "util/decimal.h"

namespace flk::cost {
namespace {

// Normalised columns, located by name in the header.
enum Col {
  kBilled, kEffective, kList, kStart, kEnd, kCurrency, kProvider, kService, kChargeCategory, kTags,
  // CUR only
  kLineItemType, kNetUnblended, kSpEffective, kRiEffective, kRiUnusedAmortized, kRiUnusedRecurring,
  kColCount
};

struct ColName {
  Col col;
  const char* focus;  // FOCUS column, or nullptr
  const char* cur;    // CUR 2.0 column (legacy CUR is renamed to these), or nullptr
};

constexpr ColName kCols[] = {
    {kBilled, "BilledCost", "line_item_unblended_cost"},
    {kEffective, "EffectiveCost", nullptr},
    {kList, "ListCost", "pricing_public_on_demand_cost"},
    {kStart, "ChargePeriodStart", "line_item_usage_start_date"},
    {kEnd, "ChargePeriodEnd", "line_item_usage_end_date"},
    {kCurrency, "BillingCurrency", "line_item_currency_code"},
    {kProvider, "ProviderName", nullptr},
    {kService, "ServiceName", "line_item_product_code"},
    {kChargeCategory, "ChargeCategory", nullptr},
    {kTags, "Tags", "resource_tags"},
    {kLineItemType, nullptr, "line_item_line_item_type"},
    {kNetUnblended, nullptr, "line_item_net_unblended_cost"},
    {kSpEffective, nullptr, "savings_plan_savings_plan_effective_cost"},
    {kRiEffective, nullptr, "reservation_effective_cost"},
    {kRiUnusedAmortized, nullptr, "reservation_unused_amortized_upfront_fee_for_billing_period"},
    {kRiUnusedRecurring, nullptr, "reservation_unused_recurring_fee"},
};

const char* const kFocus11[] = {"CapacityReservationId", "CapacityReservationStatus", "CommitmentDiscountQuantity",
                                "CommitmentDiscountUnit", "ServiceSubcategory", "SkuMeter", "SkuPriceDetails"};
const char* const kFocus12[] = {"InvoiceId", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
                                "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "BillingAccountType",
                                "SubAccountType"};

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

// CUR line item type → FOCUS charge category (the focus_converters mapping).
std::string cur_charge_category(const std::string& t) {
  if (t == "Tax") return "Tax";
  if (t == "Fee" || t == "RIFee" || t == "SavingsPlanUpfrontFee" || t == "SavingsPlanRecurringFee") return "Purchase";
  if (t == "Credit" || t == "Refund") return "Adjustment";
  return "Usage";
}

bool is_null(const CsvField& f) { return f.text.empty() || (!f.quoted && f.text == "NULL"); }

}  // namespace

const char* billing_format_name(BillingFormat f) {
  switch (f) {
    case BillingFormat::automatic: return "auto";
    case BillingFormat::focus: return "focus";
    case BillingFormat::cur: return "cur";
  }
  return "auto";
}

bool BillingKey::operator<(const BillingKey& o) const {
  return std::tie(provider, service, tenant, model, charge_category, currency, day) <
         std::tie(o.provider, o.service, o.tenant, o.model, o.charge_category, o.currency, o.day);
}

bool BillingTotals::add(const BillingTotals& o) {
  BillingTotals n = *this;
  if (!add_nanos(n.billed, o.billed) || !add_nanos(n.effective, o.effective) || !add_nanos(n.list, o.list)) return false;
  n.rows += o.rows;
  *this = n;
  return true;
}

bool BillingBook::add(const BillingKey& k, const BillingTotals& t) { return cells[k].add(t); }

BillingImporter::BillingImporter(BillingOptions opt) : opt_(std::move(opt)) { sum_.format = opt_.format; }

Status BillingImporter::issue(int64_t line, const std::string& column, const std::string& message) {
  ++sum_.issue_count;
  ++sum_.skipped;
  if (opt_.strict)
    return make_error("bad_csv", "line " + std::to_string(line) + (column.empty() ? "" : ", column " + column) + ": " + message);
  if (sum_.issues.size() < opt_.max_issues) sum_.issues.push_back({line, column, message});
  return Ok{};
}

Status BillingImporter::header(const CsvField* f, size_t n, int64_t line) {
  std::vector<std::string> names(n);
  for (size_t i = 0; i < n; ++i) names[i] = f[i].text;
  auto has = [&](const char* name) { return std::find(names.begin(), names.end(), name) != names.end(); };
  bool focus = has("BilledCost");
  bool cur2 = has("line_item_unblended_cost");
  bool legacy = has("lineItem/UnblendedCost");
  BillingFormat fmt = focus ? BillingFormat::focus : (cur2 || legacy) ? BillingFormat::cur : BillingFormat::automatic;
  if (fmt == BillingFormat::automatic || (opt_.format != BillingFormat::automatic && opt_.format != fmt))
    return make_error("bad_csv", "line " + std::to_string(line) +
                                     ": the header is not a FOCUS (BilledCost, ChargePeriodStart, …) or AWS CUR "
                                     "(line_item_unblended_cost or lineItem/UnblendedCost, …) header" +
                                     (opt_.format != BillingFormat::automatic ? std::string(" of the requested format ") +
                                                                                    billing_format_name(opt_.format)
                                                                              : ""));
  sum_.format = fmt;
  if (legacy) {
    for (size_t i = 0; i < n; ++i) {
      if (names[i].rfind("resourceTags/", 0) == 0) tag_cols_.emplace_back(names[i].substr(13), static_cast<int>(i));
      names[i] = cur_snake(names[i]);
    }
    sum_.notes.push_back("legacy CUR column names (lineItem/…) read as their CUR 2.0 equivalents");
  }
  col_.assign(kColCount, -1);
  for (const ColName& c : kCols) {
    const char* want = fmt == BillingFormat::focus ? c.focus : c.cur;
    if (!want) continue;
    auto it = std::find(names.begin(), names.end(), want);
    if (it != names.end()) col_[c.col] = static_cast<int>(it - names.begin());
  }
  if (fmt == BillingFormat::focus) {
    if (col_[kProvider] < 0 && has("ServiceProviderName"))
      col_[kProvider] = static_cast<int>(std::find(names.begin(), names.end(), "ServiceProviderName") - names.begin());
    sum_.focus_version = "1.0";
    for (const char* c : kFocus11)
      if (has(c)) sum_.focus_version = "1.1";
    for (const char* c : kFocus12)
      if (has(c)) sum_.focus_version = "1.2";
  }
  const char* required_focus[] = {"BilledCost", "ChargePeriodStart"};
  const char* required_cur[] = {"line_item_unblended_cost", "line_item_usage_start_date", "line_item_product_code",
                                "line_item_currency_code"};
  if (fmt == BillingFormat::focus) {
    for (const char* r : required_focus)
      if (!has(r)) return make_error("bad_csv", "line " + std::to_string(line) + ": FOCUS column " + r + " is missing");
  } else {
    for (const char* r : required_cur)
      if (std::find(names.begin(), names.end(), r) == names.end())
        return make_error("bad_csv", "line " + std::to_string(line) + ": CUR column " + r + " is missing");
  }
  if (fmt == BillingFormat::focus && col_[kCurrency] < 0) sum_.notes.push_back("no BillingCurrency column: currency left empty");
  width_ = n;
  have_header_ = true;
  return Ok{};
}

Status BillingImporter::record(const CsvField* f, size_t n, int64_t line) {
  if (!have_header_) return header(f, n, line);
  ++sum_.rows;
  if (n != width_)
    return issue(line, "", "expected " + std::to_string(width_) + " fields, got " + std::to_string(n));
  auto at = [&](Col c) -> const CsvField* { return col_[c] < 0 ? nullptr : &f[col_[c]]; };
  auto text = [&](Col c) -> std::string {
    const CsvField* x = at(c);
    return x && !is_null(*x) ? x->text : std::string();
  };
  // Money: exact decimal; "$10,000.00 " (spreadsheet style) accepted and counted.
  auto money = [&](Col c, bool required, Nanos* out, bool* present) -> Status {
    const CsvField* x = at(c);
    *out = 0;
    if (present) *present = false;
    if (!x || is_null(*x)) {
      if (required) return make_error("missing", "is empty");
      return Ok{};
    }
    std::string t = x->text;
    bool nonstd = false;
    while (!t.empty() && t.back() == ' ') t.pop_back(), nonstd = true;
    while (!t.empty() && t.front() == ' ') t.erase(0, 1), nonstd = true;
    size_t sign = (!t.empty() && t[0] == '-') ? 1 : 0;
    if (t.size() > sign && t[sign] == '$') t.erase(sign, 1), nonstd = true;
    if (t.find(',') != std::string::npos) {
      std::string no_commas;
      for (char ch : t)
        if (ch != ',') no_commas += ch;
      t = no_commas;
      nonstd = true;
    }
    bool rounded = false;
    auto v = parse_decimal(t, kUsdScale, &rounded);
    if (!v.ok()) return make_error("bad", v.error().message);
    if (rounded) ++sum_.rounded_values;
    if (nonstd) ++sum_.non_standard_numbers;
    *out = *v;
    if (present) *present = true;
    return Ok{};
  };
  auto column_name = [&](Col c) -> std::string {
    for (const ColName& cn : kCols)
      if (cn.col == c) return sum_.format == BillingFormat::focus ? cn.focus : cn.cur;
    return "";
  };
  BillingTotals t;
  t.rows = 1;
  bool has_eff = false;
  for (auto [c, dst, req, present] : {std::make_tuple(kBilled, &t.billed, true, (bool*)nullptr),
                                      std::make_tuple(kEffective, &t.effective, false, &has_eff),
                                      std::make_tuple(kList, &t.list, false, (bool*)nullptr)}) {
    auto s = money(c, req, dst, present);
    if (!s.ok()) return issue(line, column_name(c), s.error().message);
  }
  BillingKey k;
  std::string start = text(kStart);
  if (start.empty()) return issue(line, column_name(kStart), "is empty");
  auto ms = parse_timestamp_ms(start);
  if (!ms.ok()) return issue(line, column_name(kStart), ms.error().message);
  k.day = static_cast<int32_t>(floor_div(*ms, kMsPerDay));
  k.currency = text(kCurrency);
  k.service = text(kService);
  if (sum_.format == BillingFormat::focus) {
    k.provider = text(kProvider);
    k.charge_category = text(kChargeCategory);
    if (!has_eff) t.effective = t.billed;
  } else {
    k.provider = "AWS";
    std::string type = text(kLineItemType);
    k.charge_category = cur_charge_category(type);
    Nanos net = 0;
    bool has_net = false;
    if (auto s = money(kNetUnblended, false, &net, &has_net); !s.ok()) return issue(line, column_name(kNetUnblended), s.error().message);
    if (has_net) t.billed = net;
    // Effective cost as the FOCUS converter derives it from reservations and savings plans.
    t.effective = t.billed;
    Nanos a = 0, b = 0;
    if (type == "SavingsPlanCoveredUsage") {
      if (auto s = money(kSpEffective, false, &a, nullptr); !s.ok()) return issue(line, column_name(kSpEffective), s.error().message);
      t.effective = a;
    } else if (type == "SavingsPlanNegation" || type == "SavingsPlanUpfrontFee") {
      t.effective = 0;
    } else if (type == "DiscountedUsage") {
      if (auto s = money(kRiEffective, false, &a, nullptr); !s.ok()) return issue(line, column_name(kRiEffective), s.error().message);
      t.effective = a;
    } else if (type == "RIFee") {
      if (auto s = money(kRiUnusedAmortized, false, &a, nullptr); !s.ok()) return issue(line, column_name(kRiUnusedAmortized), s.error().message);
      if (auto s = money(kRiUnusedRecurring, false, &b, nullptr); !s.ok()) return issue(line, column_name(kRiUnusedRecurring), s.error().message);
      t.effective = a + b;
    }
  }
  // Tags: a JSON object (FOCUS Tags, CUR 2.0 resource_tags) and/or legacy resourceTags/* columns.
  std::vector<std::pair<std::string, std::string>> tags;
  std::string tag_text = text(kTags);
  if (!tag_text.empty()) {
    auto doc = json::parse(tag_text);
    if (!doc.ok() || !doc->is_object()) return issue(line, column_name(kTags), "is not a JSON object");
    for (const auto& m : doc->as_object())
      if (m.second.is_string()) tags.emplace_back(m.first, m.second.as_string());
  }
  for (const auto& tc : tag_cols_)
    if (!is_null(f[tc.second])) tags.emplace_back(tc.first, f[tc.second].text);
  auto tag = [&](const std::vector<std::string>& keys) -> std::string {
    for (const std::string& key : keys)
      for (const auto& kv : tags)
        if (kv.first == key) return kv.second;
    return "";
  };
  k.tenant = tag(opt_.tenant_tags);
  k.model = tag(opt_.model_tags);
  if (!sum_.book.add(k, t)) return make_error("out_of_range", "line " + std::to_string(line) + ": billing totals exceed the money range");
  ++sum_.imported;
  return Ok{};
}

Status BillingImporter::feed(std::string_view chunk) { return csv_.feed(chunk, *this); }

Status BillingImporter::finish() {
  FLK_TRY(csv_.finish(*this));
  sum_.bytes = csv_.bytes();
  if (!have_header_) return make_error("bad_csv", "the input has no header line");
  return Ok{};
}

}  // namespace flk::cost
