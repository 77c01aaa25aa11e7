// Cost reports over the usage area, aggregated by the database: sums of the stored nano-dollar
// costs (integers, exact) grouped by any of tenant, provider, model, task, user, day, month and
// label:<key>. The database groups by day at the finest; months are folded from days here (at
// most 366 days a report, so a bounded fold).
#pragma once
#include <string>
#include <vector>

#include "store/store.h"

namespace flk::server::usage {

constexpr size_t kMaxReportLabelKeys = 4;

struct ReportQuery {
  std::string tenant;
  int64_t from_ms = 0, to_ms = 0;  // created_ms in [from_ms, to_ms)
  // Group keys: tenant, provider, model, task, user, day, month, label:<key> (distinct; at most
  // kMaxReportLabelKeys labels). An event without a label groups under "".
  std::vector<std::string> group_by;
};

struct ReportGroup {
  std::vector<std::string> key;  // one value per group_by key; day YYYY-MM-DD, month YYYY-MM
  int64_t nanos = 0, events = 0;
};

// Whether name is a group key this report takes.
bool report_key_ok(const std::string& name);

// Groups in key order (byte order of the values).
Result<std::vector<ReportGroup>> report(Store& store, const ReportQuery& q);

// ---- cost per trusted task ----------------------------------------------------------------
// Spend and events of the groups' usage events whose verification_id names a verification of
// the tenant that was accepted (the verify area's verifications(tenant, id, action)). Groups as
// report(); groups without such events are absent.
Result<std::vector<ReportGroup>> trusted_report(Store& store, const ReportQuery& q);

}  // namespace flk::server::usage
