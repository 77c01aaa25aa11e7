// Reconciliation: what the ledger tracked against what the provider billed, per service, for a
// period. delta = billed − tracked, delta % = 100·delta / billed (−100 when nothing was billed for
// tracked usage); a service is within_target up to the threshold (default 3 %), drift_detected up
// to 5 %, critical_drift beyond (the reference statuses, on |delta %|). Each drifting service is
// attributed to the days and models that carry the difference. Billed services with no tracked
// counterpart form the unallocated bucket; charges outside the compared categories (tax, credits,
// purchases) are listed apart. A sum or delta past the money range is out_of_range, not wrapped.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cost/billing.h"
#include "cost/ledger.h"

namespace flk::cost {

enum class CostColumn { billed, effective, list };
const char* column_name(CostColumn c);  // "billed", "effective", "list"
// The totals' amount in that column.
Nanos column_total(const BillingTotals& t, CostColumn c);

struct ReconcileOptions {
  int32_t from_day = INT32_MIN, to_day = INT32_MAX;  // [from, to)
  CostColumn column = CostColumn::billed;
  double threshold_pct = 3.0;
  std::vector<std::string> charge_categories = {"Usage"};
  std::string currency = "USD";
  // Ledger provider → billing service name; unmapped providers are compared under their own name.
  std::map<std::string, std::string> service_map;
  size_t max_items = 10;  // days / models listed per service
};

struct DeltaItem {
  std::string key;  // a day or a model
  Nanos tracked = 0, billed = 0;
  Nanos delta() const { return billed - tracked; }
};

struct ServiceLine {
  std::string service;
  Nanos tracked = 0, billed = 0;
  double delta_pct = 0;
  bool alert = false;
  std::string status;
  std::vector<DeltaItem> days;    // largest |delta| first, only days beyond the threshold
  std::vector<DeltaItem> models;  // when the bill carries a model tag
};

struct ReconcileReport {
  Nanos tracked = 0, billed = 0;  // billed: compared categories, all services
  double delta_pct = 0;
  bool alert = false;
  std::string status;
  std::vector<ServiceLine> services;                 // tracked services, largest |delta| first
  Nanos unallocated = 0;                             // billed, no tracked counterpart
  std::vector<std::pair<std::string, Nanos>> unallocated_services;
  std::map<std::string, Nanos> other_charges;        // by charge category
  std::map<std::string, Nanos> other_currencies;     // billed in another currency, not compared
  int32_t first_day = 0, last_day = 0;               // days with data in the period
  std::vector<std::string> recommendations;
};

double delta_pct(Nanos tracked, Nanos billed);
std::string drift_status(double pct, double threshold);

Result<ReconcileReport> reconcile(const Ledger& ledger, const BillingBook& book, const ReconcileOptions& opt);

}  // namespace flk::cost
