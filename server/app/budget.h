// Budgets on usage events. A tenant's budget is the policy object of the facade op
// cost.budget.check (cap_usd = the hard cap, window daily|weekly|monthly, actions at fractions of
// the cap; the reference ones are 0.7 degrade, 0.9 throttle, 1.0 deny), kept with the tenant in
// the store. Each new usage event is decided in the store transaction that would store it, against
// the spend of its window read in that transaction: "deny" refuses it (nothing is stored or
// charged); an event that moves the decision to another action (crossing a soft threshold) is
// stored and gets a "budget.decision" audit entry, as does every refusal.
#pragma once
#include <string>

#include "json/value.h"
#include "store/usage/usage.h"

namespace flk::server {

// Checks a budget policy the way the judge reads it and returns it as canonical JSON (with
// "preemptive": false: the server decides on recorded spend, it does not project). Errors carry
// paths under base_path.
Result<std::string> check_budget(const json::Value& policy, const std::string& base_path);

// The judge that the usage route gives its store writes.
Status judge_usage(const std::string& budget_json, const SpendReader& spent, UsageWrite& w);
// The same, also giving the fraction of the cap spent in the window once the event is judged
// (a refused event not counted): the flk_budget_used_ratio gauge.
Status judge_usage_measured(const std::string& budget_json, const SpendReader& spent, UsageWrite& w,
                            double* used_fraction);

// The budget's state at now_ms: cost.budget.check's answer for the window's spend with no request.
Result<json::Value> budget_state(const std::string& tenant, const std::string& budget_json, int64_t spent_nanos,
                                 int64_t now_ms);
// [from_day, to_day) of the budget window that holds now_ms.
Result<std::pair<int32_t, int32_t>> budget_days(const std::string& budget_json, int64_t now_ms);

}  // namespace flk::server
