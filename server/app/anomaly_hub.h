// Online anomaly detection per tenant: each tenant's model (its own, installed by an admin, or
// the default z-score model), the window state of each of its series (at most max_series per
// tenant; the least recently observed is dropped), its feedback loop and the metrics. All the
// computing is the facade's (anomaly.score, anomaly.feedback); the hub keeps state and builds
// the store writes (anomaly events with their audit entries, state documents) that the routes
// commit through the batcher.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "json/value.h"
#include "metrics/metrics.h"
#include "store/anomaly/anomaly.h"
#include "util/result.h"

namespace flk::server {

// The tenant the server's own request metrics are watched under (app/anomaly_self.h).
constexpr const char* kSelfTenant = "_self";

// The anomaly detectors' metric families (rendered by GET /metrics with the server's own).
struct AnomalyMetrics {
  AnomalyMetrics();
  Family observations, anomalies, feedback, self_samples, scores;
  std::vector<const Family*> families() const { return {&observations, &anomalies, &feedback, &self_samples, &scores}; }
};

// What a call answers, and the writes to commit before answering.
struct AnomalyOutcome {
  json::Value answer;
  std::vector<std::unique_ptr<Write>> writes;
};

class AnomalyHub {
 public:
  // Events are purged event_ttl_ms after they were stored.
  AnomalyHub(Store& store, size_t max_series, int64_t reoptimise_every, int64_t event_ttl_ms)
      : store_(store), max_series_(max_series), reoptimise_every_(reoptimise_every), event_ttl_ms_(event_ttl_ms) {}

  // POST /v1/anomaly/observe body: {"series", "points": [{"ts", "value"} | {"ts", "values"}], "columns"?}.
  // Errors carry the JSON path of the offending point; the series state is unchanged on error.
  Result<AnomalyOutcome> observe(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // POST /v1/anomaly/feedback body: {"items": [{"id", "score"?, "label"}]}; without a score the
  // id names a stored anomaly event and its score is used.
  Result<AnomalyOutcome> feedback(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // PUT /v1/admin/tenants/{tenant}/anomaly/model body: {"model"?: <anomaly.fit model> | null, "mode"?},
  // or the model alone (the file `flk anomaly fit --out` writes).
  Result<AnomalyOutcome> put_model(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // What the tenant is scored with: model source, detector, columns, mode, threshold, series.
  Result<json::Value> describe(const std::string& tenant);
  // Takes up what other instances stored since: a newer model (the tenant reloads at its next
  // use, series afresh) or a newer feedback loop (and its threshold). Documents carry the time
  // of their write (updated_ms); the newer one wins.
  Status refresh();

  AnomalyMetrics& metrics() { return metrics_; }

 private:
  struct Series {
    json::Value state;  // anomaly.score's state; null before the first point
    double last_ts = 0;
    bool has_ts = false;
    int64_t seen = 0;  // points observed
    uint64_t used = 0;
  };
  struct TenantState {
    std::mutex mu;
    bool loaded = false;
    bool custom = false;  // the tenant's own model, not the default
    json::Value model;
    std::string mode = "shadow";
    json::Value feedback;  // anomaly.feedback's state; null before the first item
    int64_t model_ms = 0, feedback_ms = 0;  // updated_ms of the documents in use
    std::map<std::string, Series> series;
    uint64_t clock = 0;
  };
  // The tenant's state, loaded from the store on first use; its mutex is locked into *lock.
  Result<TenantState*> tenant(const std::string& id, std::unique_lock<std::mutex>* lock);
  Series& series(TenantState& t, const std::string& name);
  double threshold(const TenantState& t) const;
  // Takes a stored feedback document {"state", "updated_ms"} (the threshold with it).
  static void adopt_feedback(TenantState& t, const json::Value& doc);

  Store& store_;
  size_t max_series_;
  int64_t reoptimise_every_;
  int64_t event_ttl_ms_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<TenantState>> tenants_;
  AnomalyMetrics metrics_;
};

// A state document write (anomaly_state) with its audit entry (none when audit_type is null).
std::unique_ptr<Write> anomaly_state_write(const std::string& tenant, const std::string& name, const json::Value& doc,
                                           const char* audit_type, json::Value audit_data, int64_t now_ms);

}  // namespace flk::server
