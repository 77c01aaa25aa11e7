#include "cost/budget.h"

#include "util/civil_time.h"
#include "util/decimal.h"

namespace flk::cost {
namespace {

double fraction(Nanos num, Nanos cap) { return static_cast<double>(num) / static_cast<double>(cap); }

std::string money(Nanos v) { return "$" + usd(v); }

}  // namespace

const char* window_name(Window w) {
  switch (w) {
    case Window::daily: return "daily";
    case Window::weekly: return "weekly";
    case Window::monthly: return "monthly";
  }
  return "daily";
}

std::optional<Window> window_from_name(const std::string& s) {
  if (s == "daily") return Window::daily;
  if (s == "weekly") return Window::weekly;
  if (s == "monthly") return Window::monthly;
  return std::nullopt;
}

std::pair<int64_t, int64_t> window_bounds(Window w, int64_t now_ms) {
  int64_t day = floor_div(now_ms, kMsPerDay);
  switch (w) {
    case Window::daily: return {day * kMsPerDay, (day + 1) * kMsPerDay};
    case Window::weekly: {
      int64_t monday = day - weekday(day);
      return {monday * kMsPerDay, (monday + 7) * kMsPerDay};
    }
    case Window::monthly: {
      int64_t y;
      int m, d;
      civil_from_days(day, &y, &m, &d);
      int64_t first = days_from_civil(y, m, 1);
      return {first * kMsPerDay, (first + days_in_month(y, m)) * kMsPerDay};
    }
  }
  return {0, 0};
}

std::vector<BudgetAction> default_actions() {
  return {{700000, "degrade", "switching to cost-optimized mode"},
          {900000, "throttle", "throttling: the budget is almost used"},
          {kPpm, "deny", "the budget for this period is used up"}};
}

Status validate(const BudgetPolicy& p) {
  if (p.cap <= 0) return make_error("out_of_range", "the cap must be positive", "$.policy.cap_usd");
  int64_t prev = 0;
  for (size_t i = 0; i < p.actions.size(); ++i) {
    const BudgetAction& a = p.actions[i];
    std::string path = "$.policy.actions[" + std::to_string(i) + "]";
    if (!(a.at_ppm > prev && a.at_ppm <= kPpm))
      return make_error("out_of_range", path + ".at: thresholds must be ascending within (0, 1]", path + ".at");
    if (a.action != "degrade" && a.action != "throttle" && a.action != "queue" && a.action != "deny")
      return make_error("out_of_range", path + ".action must be degrade, throttle, queue or deny", path + ".action");
    prev = a.at_ppm;
  }
  if (p.actions.empty() || p.actions.back().at_ppm != kPpm || p.actions.back().action != "deny")
    return make_error("out_of_range", "the last action must be deny at 1.0 (the hard cap)", "$.policy.actions");
  return Ok{};
}

BudgetDecision decide(const BudgetPolicy& p, Nanos spent, Nanos request_cost, const std::string& model,
                      const std::optional<Projection>& projection) {
  BudgetDecision d;
  Nanos after = spent;
  if (!add_nanos(after, request_cost)) after = INT64_MAX;
  d.used_fraction = fraction(spent, p.cap);
  d.after_fraction = fraction(after, p.cap);
  d.remaining = p.cap - spent;
  const std::string of_cap = " of the " + money(p.cap) + " " + window_name(p.window) + " budget";
  const BudgetAction& hard = p.actions.back();
  if (spent >= p.cap) {
    d.action = "deny";
    d.reason = "hard_cap_reached";
    d.message = hard.message + ": " + money(spent) + " spent" + of_cap;
    return d;
  }
  if (after > p.cap) {
    d.action = "deny";
    d.reason = "request_would_exceed_hard_cap";
    d.message = hard.message + ": this request (~" + money(request_cost) + ") would bring spend to " + money(after) + of_cap;
    return d;
  }
  // The highest threshold at or below the spend after this request, compared in exact integers.
  const BudgetAction* hit = nullptr;
  for (const BudgetAction& a : p.actions) {
    auto threshold = line_cost(p.cap, a.at_ppm);  // cap · at_ppm / 10^6
    if (a.action != "deny" && threshold.ok() && after >= *threshold) hit = &a;
  }
  if (hit) {
    d.action = hit->action;
    d.reason = hit->action == "degrade" ? "soft_cap_reached" : hit->action + "_threshold_reached";
    d.message = hit->message + ": " + money(after) + " is at least " + format_decimal(hit->at_ppm * 100, 6) + "%" + of_cap;
  } else {
    d.action = "allow";
    d.reason = "under_soft_cap";
    d.message = money(after) + " of " + money(p.cap) + " used";
  }
  if (p.preemptive && projection && projection->window_total >= p.cap && d.action == "allow") {
    d.action = "degrade";
    d.reason = "forecast_exceeds_hard_cap";
    d.message = "switching to cost-optimized mode early: " + projection->method + " projects " +
                money(projection->window_total) + " by the end of the window" + of_cap;
    if (projection->cross_ms) d.message += ", crossing it at " + format_timestamp(*projection->cross_ms);
  }
  if (d.action == "degrade") {
    auto it = p.degrade_models.find(model);
    if (it != p.degrade_models.end()) d.degrade_model = it->second;
    d.ensemble_checks = p.degraded_ensemble_checks;
  }
  return d;
}

}  // namespace flk::cost
