// The usage area: priced usage events (usage_events, first write wins on (tenant, event_id)) and
// each tenant's charged cost per UTC day (usage_spend, which budgets read). A usage event of a
// tenant with a budget is decided by its judge against the spend of the window as of the event
// (the stored spend plus what the events before it in the batch charged), with the tenant's row
// locked (store/tenants): per tenant a batch reads its spend once per window, not once per event.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/keyed.h"

namespace flk::server {

class UsageWrite;
struct StoredBudget;

// What a usage event is attributed to, in their own columns so reports group in SQL: the priced
// model and provider as sent (cost.usage's "model" / "provider") and the event's attribution
// (core cost/attribution.h; "" when absent). Labels go to usage_labels, one row per key.
struct UsageAttribution {
  std::string model, provider, task, user, verification_id;
  std::vector<std::pair<std::string, std::string>> labels;
};
// Nano-USD charged to the write's tenant on UTC days [from_day, to_day), as of this event.
using SpendReader = std::function<Result<int64_t>(int32_t from_day, int32_t to_day)>;
// Decides a usage event against its tenant's budget policy: sets w.refused and may set w.audit.
using BudgetJudge = std::function<Status(const StoredBudget& budget, const SpendReader& spent, UsageWrite& w)>;

// A usage event: id = event id, body = the cost.usage output. Journaled (the server's WAL).
class UsageWrite final : public KeyedWrite {
 public:
  const WriteType& type() const override;
  bool journaled() const override { return true; }
  void clear_results() override {
    KeyedWrite::clear_results();
    refused = false;
    unknown_verification = false;
    if (judge) audit.reset();  // the budget judge decides again
  }
  // The priced cost, added to the tenant's spend of the UTC day of now_ms when the event is stored.
  int64_t cost_nanos = 0;
  std::string input;  // the event as sent, without event_id (cost.usage's input)
  UsageAttribution attribution;
  // Runs when the tenant has a budget and the event id is new.
  BudgetJudge judge;
  // Refused because attribution.verification_id names no verification of the tenant (the verify
  // area's verifications): nothing stored or charged.
  bool unknown_verification = false;
};

// A stored usage event as reports and reconciliation read it.
struct UsageRow {
  std::string event_id;
  int64_t created_ms = 0;
  std::string body;
  std::string input;
};

namespace usage {

extern const Area kArea;

// Nano-USD charged to the tenant on UTC days [from_day, to_day).
Result<int64_t> spent(Store& store, const std::string& tenant, int32_t from_day, int32_t to_day);
// The tenant's stored usage events created in [from_ms, to_ms), oldest first.
Result<std::vector<UsageRow>> events(Store& store, const std::string& tenant, int64_t from_ms, int64_t to_ms);

}  // namespace usage
}  // namespace flk::server
