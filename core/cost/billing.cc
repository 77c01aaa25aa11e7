#include "cost/billing.h"

#include <algorithm>
#include <tuple>

#include "json/number_format.h"
#include "json/parse.h"
#include "util/civil_time.h"
#include "util/decimal.h"

namespace flk::cost {
namespace {

const char* const kFocus11[] = {"CapacityReservationId", "CapacityReservationStatus", "CommitmentDiscountQuantity",
                                "CommitmentDiscountUnit", "ServiceSubcategory", "SkuMeter", "SkuPriceDetails"};
const char* const kFocus12[] = {"InvoiceId", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
                                "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "BillingAccountType",
                                "SubAccountType"};
const char* const kFocus13[] = {"ServiceProviderName", "HostProviderName", "AllocatedMethodId", "ContractApplied"};

bool is_null(const CsvField& f) { return f.text.empty() || (!f.quoted && f.text == "NULL"); }

// The first spelling of a column (the one reports name).
std::string first_name(const char* names) {
  std::string s = names;
  return s.substr(0, s.find('|'));
}

// Where any spelling of `names` ('|'-separated) sits in the normalised header, or -1.
int find_column(const std::vector<std::string>& header, const char* names) {
  std::string all = names;
  for (size_t b = 0; b <= all.size();) {
    size_t e = all.find('|', b);
    if (e == std::string::npos) e = all.size();
    auto it = std::find(header.begin(), header.end(), all.substr(b, e - b));
    if (it != header.end()) return static_cast<int>(it - header.begin());
    b = e + 1;
  }
  return -1;
}

// Azure writes Tags as "k": "v","k2": "v2" (no braces); BigQuery writes labels as
// [{"key": k, "value": v}, …]. Both become tag pairs, as FOCUS's JSON object does.
bool read_tags(const std::string& text, std::vector<std::pair<std::string, std::string>>* tags) {
  std::string t = text;
  size_t first = t.find_first_not_of(" \t");
  if (first != std::string::npos && t[first] == '"') t = "{" + t + "}";
  auto doc = json::parse(t);
  if (!doc.ok()) return false;
  if (doc->is_object()) {
    for (const auto& m : doc->as_object())
      if (m.second.is_string()) tags->emplace_back(m.first, m.second.as_string());
    return true;
  }
  if (!doc->is_array()) return false;
  for (const json::Value& e : doc->as_array()) {
    const json::Value* k = e.is_object() ? e.find("key") : nullptr;
    const json::Value* v = e.is_object() ? e.find("value") : nullptr;
    if (!k || !v || !k->is_string() || !v->is_string()) return false;
    tags->emplace_back(k->as_string(), v->as_string());
  }
  return true;
}

}  // namespace

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

Status BillingImporter::issue(int64_t line, const std::string& column, const std::string& message, bool warning) {
  ++sum_.issue_count;
  if (warning) ++sum_.warning_count;
  else ++sum_.skipped;
  if (opt_.strict)
    return make_error("bad_csv", "line " + std::to_string(line) + (column.empty() ? "" : ", column " + column) + ": " + message);
  if (sum_.issues.size() < opt_.max_issues) sum_.issues.push_back({line, column, message, warning});
  return Ok{};
}

Status BillingImporter::header(const CsvField* f, size_t n, int64_t line) {
  std::vector<std::string> raw(n);
  for (size_t i = 0; i < n; ++i) raw[i] = f[i].text;
  const BillingFormat fmt = detect_billing_format(raw);
  if (fmt == BillingFormat::automatic || (opt_.format != BillingFormat::automatic && opt_.format != fmt))
    return make_error("bad_csv", "line " + std::to_string(line) +
                                     ": the header is not a FOCUS (BilledCost, ChargePeriodStart, …), AWS CUR "
                                     "(line_item_unblended_cost or lineItem/UnblendedCost, …), Azure cost details "
                                     "(CostInBillingCurrency, Date, …) or GCP BigQuery export (cost, "
                                     "usage_start_time, …) header" +
                                     (opt_.format != BillingFormat::automatic ? std::string(" of the requested format ") +
                                                                                    billing_format_name(opt_.format)
                                                                              : ""));
  sum_.format = fmt;
  std::vector<std::string> names(n);
  for (size_t i = 0; i < n; ++i) names[i] = normalise_column(fmt, raw[i]);
  if (fmt == BillingFormat::cur && names != raw) {
    for (size_t i = 0; i < n; ++i)
      if (raw[i].rfind("resourceTags/", 0) == 0) tag_cols_.emplace_back(raw[i].substr(13), static_cast<int>(i));
    sum_.notes.push_back("legacy CUR column names (lineItem/…) read as their CUR 2.0 equivalents");
  }
  for (size_t i = 0; i < n; ++i) {
    if (known_billing_column(fmt, names[i])) continue;
    sum_.unknown_columns.push_back(raw[i]);
    if (opt_.strict)
      return make_error("bad_csv", "line " + std::to_string(line) + ", column " + raw[i] + ": not a column of the " +
                                       billing_format_name(fmt) + " format");
  }
  col_.assign(kBillingColCount, -1);
  for (int c = 0; c < kBillingColCount; ++c) {
    const char* want = billing_column(fmt, static_cast<BillingCol>(c));
    if (*want) col_[c] = find_column(names, want);
  }
  if (fmt == BillingFormat::focus) {
    auto has = [&](const char* name) { return std::find(raw.begin(), raw.end(), name) != raw.end(); };
    sum_.focus_version = "1.0";
    for (const char* c : kFocus11)
      if (has(c)) sum_.focus_version = "1.1";
    for (const char* c : kFocus12)
      if (has(c)) sum_.focus_version = "1.2";
    for (const char* c : kFocus13)
      if (has(c)) sum_.focus_version = "1.3";
  }
  const std::vector<BillingCol> required =
      fmt == BillingFormat::focus ? std::vector<BillingCol>{kBilled, kStart}
      : fmt == BillingFormat::cur ? std::vector<BillingCol>{kBilled, kStart, kService, kCurrency}
                                  : std::vector<BillingCol>{kBilled, kStart, kCurrency};
  for (BillingCol c : required)
    if (col_[c] < 0)
      return make_error("bad_csv", "line " + std::to_string(line) + ": " +
                                       (fmt == BillingFormat::focus ? "FOCUS" : fmt == BillingFormat::cur ? "CUR"
                                                                              : fmt == BillingFormat::azure ? "Azure"
                                                                                                             : "GCP") +
                                       " column " + first_name(billing_column(fmt, c)) + " is missing");
  if (fmt == BillingFormat::focus && col_[kCurrency] < 0) sum_.notes.push_back("no BillingCurrency column: currency left empty");
  if (fmt == BillingFormat::azure)
    sum_.notes.push_back("Azure: provider \"Azure\", service from ConsumedService, day from Date, effective cost = "
                         "CostInBillingCurrency (as the FOCUS converter maps them)");
  if (fmt == BillingFormat::gcp) sum_.notes.push_back("GCP: effective cost = cost + the row's credits");
  width_ = n;
  have_header_ = true;
  return Ok{};
}

// Warnings on a row that imports: a currency other than the export's first, a negative cost on a
// plain usage row (not a FOCUS correction, nor one of CUR's negative line item types —
// SavingsPlanNegation, EdpDiscount, … — that the converter files under Usage).
Status BillingImporter::check_row(int64_t line, const BillingKey& k, const BillingTotals& t, bool plain_usage) {
  auto name = [&](BillingCol c) { return first_name(billing_column(sum_.format, c)); };
  if (first_currency_.empty()) first_currency_ = k.currency;
  if (k.currency != first_currency_)
    FLK_TRY(issue(line, name(kCurrency),
                  "currency " + k.currency + " differs from the export's " + first_currency_ + " (kept apart)", true));
  if (t.billed < 0 && plain_usage)
    FLK_TRY(issue(line, name(kBilled), "negative cost " + usd(t.billed) + " on a Usage charge", true));
  return Ok{};
}

// BigQuery credits: [{"name": …, "amount": -1.25, …}, …] (amounts in the row's currency).
Status BillingImporter::gcp_credits(const std::string& text, Nanos* total) {
  *total = 0;
  auto doc = json::parse(text);
  if (!doc.ok() || !doc->is_array()) return make_error("bad", "is not a JSON array");
  for (const json::Value& c : doc->as_array()) {
    const json::Value* a = c.is_object() ? c.find("amount") : nullptr;
    if (!a) return make_error("bad", "a credit has no amount");
    std::string digits = a->is_string() ? a->as_string()
                         : a->is_number() ? (a->is_int() ? std::to_string(a->as_int()) : json::format_double(a->as_double()))
                                          : std::string();
    bool rounded = false;
    auto v = parse_decimal(digits, kUsdScale, &rounded);
    if (!v.ok()) return make_error("bad", "a credit amount: " + v.error().message);
    if (rounded) ++sum_.rounded_values;
    if (!add_nanos(*total, *v)) return make_error("bad", "credits exceed the money range");
  }
  return Ok{};
}

Status BillingImporter::record(const CsvField* f, size_t n, int64_t line) {
  if (!have_header_) return header(f, n, line);
  ++sum_.rows;
  if (n != width_)
    return issue(line, "", "expected " + std::to_string(width_) + " fields, got " + std::to_string(n));
  const BillingFormat fmt = sum_.format;
  auto at = [&](BillingCol c) -> const CsvField* { return col_[c] < 0 ? nullptr : &f[col_[c]]; };
  auto text = [&](BillingCol c) -> std::string {
    const CsvField* x = at(c);
    return x && !is_null(*x) ? x->text : std::string();
  };
  auto column_name = [&](BillingCol c) -> std::string { return first_name(billing_column(fmt, c)); };
  // Money: exact decimal; "$10,000.00 " (spreadsheet style) accepted and counted.
  auto money = [&](BillingCol c, bool required, Nanos* out, bool* present) -> Status {
    const CsvField* x = at(c);
    *out = 0;
    if (present) *present = false;
    if (!x || is_null(*x)) {
      if (required) return make_error("missing", "is empty");
      return Ok{};
    }
    // One pass over a view: spaces around, a '$' after the sign and thousands commas are dropped
    // (a field may be 1 MiB of padding, so nothing here may erase from the front of a copy).
    std::string_view v(x->text);
    const size_t first = std::min(v.find_first_not_of(' '), v.size());
    v.remove_prefix(first);
    v = v.substr(0, v.find_last_not_of(' ') + 1);
    bool nonstd = first > 0 || v.size() + first < x->text.size();
    std::string t;
    if (!v.empty() && v[0] == '-') t += '-', v.remove_prefix(1);
    if (!v.empty() && v[0] == '$') v.remove_prefix(1), nonstd = true;
    for (char ch : v)
      if (ch == ',') nonstd = true;
      else t += ch;
    bool rounded = false;
    auto d = parse_decimal(t, kUsdScale, &rounded);
    if (!d.ok()) return make_error("bad", d.error().message);
    if (rounded) ++sum_.rounded_values;
    if (nonstd) ++sum_.non_standard_numbers;
    *out = *d;
    if (present) *present = true;
    return Ok{};
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
  // BigQuery writes TIMESTAMPs as "2024-01-01 00:00:00 UTC".
  if (fmt == BillingFormat::gcp && start.size() > 4 && start.compare(start.size() - 4, 4, " UTC") == 0)
    start.resize(start.size() - 4);
  auto ms = parse_timestamp_ms(start);
  if (!ms.ok()) return issue(line, column_name(kStart), ms.error().message);
  k.day = static_cast<int32_t>(floor_div(*ms, kMsPerDay));
  k.currency = text(kCurrency);
  k.service = text(kService);
  k.provider = fmt == BillingFormat::focus ? text(kProvider) : billing_provider(fmt);
  if (fmt == BillingFormat::cur) {
    std::string type = text(kLineItemType);
    k.charge_category = charge_category(fmt, type);
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
  } else {
    k.charge_category = charge_category(fmt, text(kChargeCategory));
    if (!has_eff) t.effective = t.billed;
    std::string credits = text(kCredits);
    if (!credits.empty()) {
      Nanos c = 0;
      if (auto s = gcp_credits(credits, &c); !s.ok()) return issue(line, column_name(kCredits), s.error().message);
      if (!add_nanos(t.effective, c)) return issue(line, column_name(kCredits), "credits exceed the money range");
    }
  }
  // Tags: a JSON object (FOCUS Tags, CUR 2.0 resource_tags), Azure's brace-less pairs, BigQuery's
  // key/value array, and/or legacy resourceTags/* columns.
  std::vector<std::pair<std::string, std::string>> tags;
  std::string tag_text = text(kTags);
  if (!tag_text.empty() && !read_tags(tag_text, &tags))
    return issue(line, column_name(kTags), fmt == BillingFormat::gcp ? "is not a JSON array of {key, value}" : "is not a JSON object");
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
  const bool plain_usage = k.charge_category == "Usage" && text(kChargeClass) != "Correction" &&
                           (fmt != BillingFormat::cur || text(kLineItemType) == "Usage");
  FLK_TRY(check_row(line, k, t, plain_usage));
  if (!sum_.book.add(k, t)) return make_error("out_of_range", "line " + std::to_string(line) + ": billing totals exceed the money range");
  ++sum_.imported;
  return Ok{};
}

Status BillingImporter::feed(std::string_view chunk) { return csv_.feed(chunk, *this); }

Status BillingImporter::finish() {
  // A cut-off export ends inside a quoted field: that last row is reported, the rest is kept.
  if (have_header_ && csv_.in_quoted_field()) {
    ++sum_.rows;
    FLK_TRY(issue(csv_.record_line(), "", "the input ends inside a quoted field (a cut-off export?)"));
  } else {
    FLK_TRY(csv_.finish(*this));
  }
  sum_.bytes = csv_.bytes();
  if (!have_header_) return make_error("bad_csv", "the input has no header line");
  return Ok{};
}

}  // namespace flk::cost
