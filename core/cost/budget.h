// Budgets: a cap per tenant (optionally per key / task) over a daily, weekly or monthly window.
// Actions at fractions of the cap (defaults from the reference policy: 0.7 degrade — cheaper
// model, fewer ensemble checks —, 0.9 throttle, 1.0 deny with a customer-visible message). A
// request whose estimated cost would cross the cap is denied before it runs, and a forecast that
// says the window will end above the cap degrades early. Every decision carries its reason.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cost/money.h"
#include "util/result.h"

namespace flk::cost {

enum class Window { daily, weekly, monthly };
const char* window_name(Window w);
std::optional<Window> window_from_name(const std::string& s);
// [start, end) in epoch milliseconds of the window containing now (UTC; weeks start Monday).
std::pair<int64_t, int64_t> window_bounds(Window w, int64_t now_ms);

struct BudgetAction {
  int64_t at_ppm;      // threshold in millionths of the cap, in (0, 1000000]
  std::string action;  // degrade | throttle | queue | deny
  std::string message;
};

struct BudgetPolicy {
  Window window = Window::daily;
  Nanos cap = 0;  // the hard cap (100 %)
  std::vector<BudgetAction> actions;  // ascending at_fraction; the 1.0 action is the hard cap's
  bool preemptive = true;
  std::map<std::string, std::string> degrade_models;  // model → cheaper model, offered on degrade
  int degraded_ensemble_checks = 1;                   // ensemble checks to run when degraded
};

constexpr int64_t kPpm = 1000000;
// The reference actions: 0.7 degrade, 0.9 throttle, 1.0 deny.
std::vector<BudgetAction> default_actions();

struct Projection {
  Nanos window_total = 0;           // expected spend by the end of the window
  std::optional<int64_t> cross_ms;  // when the cap is expected to be crossed, if it is
  std::string method;               // how it was projected
};

struct BudgetDecision {
  std::string action = "allow";     // allow | degrade | throttle | queue | deny
  std::string reason;               // stable code
  std::string message;              // for people (customer-visible on deny)
  double used_fraction = 0;         // spent / cap before this request
  double after_fraction = 0;        // (spent + request) / cap
  Nanos remaining = 0;              // cap - spent (may be negative)
  std::optional<std::string> degrade_model;
  std::optional<int> ensemble_checks;
};

// Error out_of_range for a cap <= 0 or actions out of order.
Status validate(const BudgetPolicy& p);
BudgetDecision decide(const BudgetPolicy& p, Nanos spent, Nanos request_cost, const std::string& model,
                      const std::optional<Projection>& projection);

}  // namespace flk::cost
