#include "cost/reconcile.h"

#include <algorithm>
#include <cmath>

#include "json/number_format.h"
#include "util/civil_time.h"

namespace flk::cost {
namespace {

Nanos abs_nanos(Nanos v) { return v < 0 ? -v : v; }

struct Side {
  Nanos tracked = 0, billed = 0;
};

std::vector<DeltaItem> ranked(const std::map<std::string, Side>& m, double threshold, bool only_drifting, size_t max) {
  std::vector<DeltaItem> out;
  for (const auto& kv : m) {
    DeltaItem d{kv.first, kv.second.tracked, kv.second.billed};
    if (d.delta() == 0) continue;
    double pct = delta_pct(d.tracked, d.billed);
    if (only_drifting && (pct < 0 ? -pct : pct) <= threshold) continue;
    out.push_back(d);
  }
  std::stable_sort(out.begin(), out.end(), [](const DeltaItem& a, const DeltaItem& b) {
    return abs_nanos(a.delta()) > abs_nanos(b.delta());
  });
  if (out.size() > max) out.resize(max);
  return out;
}

// "+3.25%": rounded with integer arithmetic so every build prints the same text. Past the int64
// range (one nano-dollar billed against millions tracked) the number is written as in JSON.
std::string pct_text(double p) {
  double scaled = p * 100;
  if (!(std::fabs(scaled) < 9e18)) return (p < 0 ? "-" : "+") + json::format_double(std::fabs(p)) + "%";
  int64_t c = static_cast<int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
  std::string out = c < 0 ? "-" : "+";
  int64_t a = c < 0 ? -c : c;
  std::string frac = std::to_string(a % 100);
  return out + std::to_string(a / 100) + "." + (frac.size() < 2 ? "0" : "") + frac + "%";
}

// "-$0.0042", "$1.25".
std::string money(Nanos v) { return v < 0 ? "-$" + usd(-v) : "$" + usd(v); }

}  // namespace

const char* column_name(CostColumn c) {
  return c == CostColumn::billed ? "billed" : c == CostColumn::effective ? "effective" : "list";
}

Nanos column_total(const BillingTotals& t, CostColumn c) {
  return c == CostColumn::billed ? t.billed : c == CostColumn::effective ? t.effective : t.list;
}

double delta_pct(Nanos tracked, Nanos billed) {
  if (billed == 0) return tracked == 0 ? 0.0 : -100.0;
  return 100.0 * static_cast<double>(billed - tracked) / static_cast<double>(billed);
}

std::string drift_status(double pct, double threshold) {
  double a = pct < 0 ? -pct : pct;
  if (a <= threshold) return "within_target";
  if (a <= 5.0 || threshold >= 5.0) return "drift_detected";
  return "critical_drift";
}

Result<ReconcileReport> reconcile(const Ledger& ledger, const BillingBook& book, const ReconcileOptions& opt) {
  ReconcileReport r;
  // Every sum within ±INT64_MAX nano-dollars, so each can be negated for its text.
  bool in_range = true;
  auto add = [&](Nanos& a, Nanos b) { in_range = add_nanos(a, b) && a != INT64_MIN && in_range; };
  std::map<std::string, Side> services;
  std::map<std::string, std::map<std::string, Side>> days, models;
  std::map<std::string, bool> billed_has_model;
  bool any = false;
  auto note_day = [&](int32_t d) {
    if (!any || d < r.first_day) r.first_day = d;
    if (!any || d > r.last_day) r.last_day = d;
    any = true;
  };
  Filter f;
  f.from_day = opt.from_day;
  f.to_day = opt.to_day;
  for (const Row& row : ledger.query({{GroupBy::provider, {}}, {GroupBy::model, {}}, {GroupBy::day, {}}}, f)) {
    auto it = opt.service_map.find(row.key[0]);
    const std::string& svc = it != opt.service_map.end() ? it->second : row.key[0];
    Nanos t = row.totals.total();
    add(services[svc].tracked, t);
    add(days[svc][row.key[2]].tracked, t);
    add(models[svc][row.key[1]].tracked, t);
    note_day(static_cast<int32_t>(floor_div(*parse_timestamp_ms(row.key[2]), kMsPerDay)));
  }
  std::map<std::string, Nanos> unallocated;
  for (const auto& kv : book.cells) {
    const BillingKey& k = kv.first;
    if (k.day < opt.from_day || k.day >= opt.to_day) continue;
    Nanos v = column_total(kv.second, opt.column);
    if (!k.currency.empty() && k.currency != opt.currency) {
      add(r.other_currencies[k.currency], v);
      continue;
    }
    if (std::find(opt.charge_categories.begin(), opt.charge_categories.end(), k.charge_category) ==
        opt.charge_categories.end()) {
      add(r.other_charges[k.charge_category.empty() ? "(none)" : k.charge_category], v);
      continue;
    }
    note_day(k.day);
    add(r.billed, v);
    auto s = services.find(k.service);
    if (s == services.end()) {
      add(unallocated[k.service.empty() ? "(no service)" : k.service], v);
      add(r.unallocated, v);
      continue;
    }
    add(s->second.billed, v);
    add(days[k.service][format_date(k.day)].billed, v);
    if (!k.model.empty()) {
      add(models[k.service][k.model].billed, v);
      billed_has_model[k.service] = true;
    }
  }
  for (const auto& kv : services) add(r.tracked, kv.second.tracked);
  // And every delta, billed − tracked, the same.
  auto delta_fits = [](const Side& x) {
    Nanos d;
    return !__builtin_sub_overflow(x.billed, x.tracked, &d) && d != INT64_MIN;
  };
  in_range = in_range && delta_fits(Side{r.tracked, r.billed});
  for (const auto& kv : services) in_range = in_range && delta_fits(kv.second);
  for (const auto* by : {&days, &models})
    for (const auto& svc : *by)
      for (const auto& kv : svc.second) in_range = in_range && delta_fits(kv.second);
  if (!in_range)
    return make_error("out_of_range", "billed or tracked spend of the period, or their difference, is past the money range (9.2 billion USD)");
  for (const auto& kv : services) {
    ServiceLine line;
    line.service = kv.first;
    line.tracked = kv.second.tracked;
    line.billed = kv.second.billed;
    line.delta_pct = delta_pct(line.tracked, line.billed);
    line.status = drift_status(line.delta_pct, opt.threshold_pct);
    line.alert = line.status != "within_target";
    if (line.alert) {
      line.days = ranked(days[kv.first], opt.threshold_pct, true, opt.max_items);
      if (billed_has_model[kv.first]) line.models = ranked(models[kv.first], 0, false, opt.max_items);
    }
    r.services.push_back(std::move(line));
  }
  std::stable_sort(r.services.begin(), r.services.end(), [](const ServiceLine& a, const ServiceLine& b) {
    return abs_nanos(a.billed - a.tracked) > abs_nanos(b.billed - b.tracked);
  });
  for (const auto& kv : unallocated) r.unallocated_services.emplace_back(kv.first, kv.second);
  std::stable_sort(r.unallocated_services.begin(), r.unallocated_services.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  r.delta_pct = delta_pct(r.tracked, r.billed);
  r.status = drift_status(r.delta_pct, opt.threshold_pct);
  r.alert = r.status != "within_target";
  // Recommendations, most material first.
  if (r.status == "critical_drift")
    r.recommendations.push_back("critical drift: billed and tracked spend differ by " + pct_text(r.delta_pct) +
                                "; review the services below before the invoice is paid");
  for (const ServiceLine& s : r.services) {
    if (!s.alert) continue;
    std::string msg = s.service + ": billed " + money(s.billed) + " vs tracked " + money(s.tracked) + " (" +
                      pct_text(s.delta_pct) + ")";
    if (!s.days.empty()) msg += ", largest on " + s.days[0].key + " (" + money(s.days[0].delta()) + ")";
    if (!s.models.empty()) msg += ", model " + s.models[0].key + " (" + money(s.models[0].delta()) + ")";
    if (s.billed == 0) msg += "; nothing was billed: check the service mapping or a billing delay";
    r.recommendations.push_back(msg);
  }
  if (r.unallocated > 0) {
    std::string names;
    for (size_t i = 0; i < r.unallocated_services.size() && i < 3; ++i)
      names += (i ? ", " : "") + r.unallocated_services[i].first;
    r.recommendations.push_back(money(r.unallocated) + " billed without tracked usage (" + names +
                                "): instrument those calls or map the services to ledger providers");
  }
  if (r.recommendations.empty()) r.recommendations.push_back("within target: no action needed");
  return r;
}

}  // namespace flk::cost
