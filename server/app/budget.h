// Budgets on usage events. A tenant's budget is the policy object of the facade op
// cost.budget.check (cap_usd = the hard cap, window daily|weekly|monthly, actions at fractions of
// the cap; the reference ones are 0.7 degrade, 0.9 throttle, 1.0 deny), kept with the tenant in
// the store. Each new usage event is decided in the store transaction that would store it, against
// the spend of its window read in that transaction: "deny" refuses it (nothing is stored or
// charged); an event that moves the decision to another action (crossing a soft threshold) is
// stored and gets a "budget.decision" audit entry, as does every refusal.
#pragma once
#include <optional>
#include <string>

#include "json/value.h"
#include "store/tenants/tenants.h"
#include "store/usage/usage.h"

namespace flk::server {

// Checks a budget policy the way the judge reads it and returns it as canonical JSON
// ("preemptive" false unless given). Errors carry paths under base_path.
//
// A pre-emptive budget also degrades early when the window's projected spend crosses the cap:
// cost.budget.check's projection (the ETS forecast of cost.forecast over the tenant's stored daily
// spend of the 90 days before today, or the run rate since the window started), made at most once
// a minute per tenant and window in each instance and cached; the first forecast decision of each
// projection that commits is audited with it. The spend decided against is always the stored one,
// read in the deciding transaction, so instances on one PostgreSQL agree on it.
Result<std::string> check_budget(const json::Value& policy, const std::string& base_path);

// What judging one usage event leaves for its completion, kept across the attempts of its
// transaction (a failed batch is retried write by write): the fraction of the cap spent in the
// window once the event is judged (a refused event not counted; -1 before), the
// flk_budget_used_ratio gauge; and a forecast decision's claim on its projection's one audit
// entry, which settle_judging gives up unless that entry was committed.
struct Judging {
  double used_fraction = -1;
  std::optional<int32_t> claim_day;  // the window start of the projection this event claimed
  bool forecast_audit = false;       // the last attempt drafted the projection's audit entry
};
Status judge_usage(const StoredBudget& budget, const SpendReader& spent, UsageWrite& w, Judging& j);
// Once w's outcome is known (s: its final status from the batcher).
void settle_judging(Judging& j, const UsageWrite& w, const Status& s);

// The budget's state at now_ms: cost.budget.check's answer for the window's spend with no request.
Result<json::Value> budget_state(const std::string& tenant, const std::string& budget_json, int64_t spent_nanos,
                                 int64_t now_ms);
// [from_day, to_day) of the budget window that holds now_ms.
Result<std::pair<int32_t, int32_t>> budget_days(const StoredBudget& budget, int64_t now_ms);

}  // namespace flk::server
