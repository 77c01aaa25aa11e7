// The anomaly area: flagged observations (anomaly_events, first write wins on (tenant, event_id),
// with an expiry) and per-tenant JSON documents such as "model" and "feedback" (anomaly_state,
// last write wins).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/keyed.h"

namespace flk::server {

// A flagged observation: id = event id. Not journaled: commits durably.
class AnomalyEventWrite final : public KeyedWrite {
 public:
  const WriteType& type() const override;
};

// Replaces the tenant's document id (= its name) with body (won: always).
class AnomalyStateWrite final : public Write {
 public:
  const WriteType& type() const override;
  std::string body;
  int64_t now_ms = 0;
};

namespace anomaly {

extern const Area kArea;

struct Event {
  std::string id, body;
  int64_t created_ms = 0;
};
// A tenant's events after the cursor (created_ms, event_id), oldest first, at most limit.
Result<std::vector<Event>> events(Store& store, const std::string& tenant, int64_t since_ms, const std::string& after_id,
                                  size_t limit);
// The stored body of one event, if there is one.
Result<std::optional<std::string>> event(Store& store, const std::string& tenant, const std::string& event_id);
Result<std::optional<std::string>> state(Store& store, const std::string& tenant, const std::string& name);
// Deletes the events whose expires_ms has passed; returns how many.
Result<int64_t> purge_expired(Store& store, int64_t now_ms);

}  // namespace anomaly
}  // namespace flk::server
