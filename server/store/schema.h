// Schema migrations shared by both stores. The SQL is written once in the common subset of
// SQLite and PostgreSQL (BIGINT and DOUBLE PRECISION get INTEGER and REAL affinity in SQLite).
// A store applies the steps above its recorded version at start-up, one transaction per step.
#pragma once
#include <cstdint>
#include <vector>

namespace flk::server {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& migrations();

// The first-write-wins tables (verdicts, usage and anomaly events) share one shape:
// (tenant, <id column>, status, body, created_ms, expires_ms).
struct KeyedTable {
  const char* table;
  const char* id_column;
};
constexpr KeyedTable kVerdictTable{"pcs_results", "pcs_id"};
constexpr KeyedTable kUsageTable{"usage_events", "event_id"};
constexpr KeyedTable kAnomalyTable{"anomaly_events", "event_id"};

// The UTC day (days since 1970-01-01) a usage event is charged to in usage_spend.
constexpr int32_t day_of(int64_t ms) { return static_cast<int32_t>((ms >= 0 ? ms : ms - 86399999) / 86400000); }

}  // namespace flk::server
