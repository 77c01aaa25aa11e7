// Canary rollouts of a candidate RiskRoutingPolicy in flk-server (docs/server.md, "Canary
// rollouts"). While a tenant's rollout runs, each POST /v1/verify request is put in the canary or
// the baseline cohort by the core's consistent hash (canary.cohort) of the request body, the canary
// cohort routed by the candidate; both cohorts' observations (latency, escalated, error, cost) of
// the current step are kept, bounded by the CanaryPolicy's max_samples. Every `evaluate_every`
// observations the core judges the cohorts (canary.gate) and moves the rollout (canary.step):
// advance, hold, count a failed gate, roll back or promote. Each evaluation is persisted in the
// canary area and audited; a promotion makes the candidate active (a PolicyWrite by "canary") in the
// same transaction. The observations of the current step are the only thing a restart loses.
#pragma once
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "json/value.h"
#include "metrics/family.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/result.h"

namespace flk::server {

struct CanaryMetrics {
  CanaryMetrics();
  Family percent, gates, steps, rollbacks, promotions, observations;
  std::vector<const Family*> families() const { return {&percent, &gates, &steps, &rollbacks, &promotions, &observations}; }
};

// A request's place in a running rollout.
struct CanaryAssignment {
  std::string rollout;
  bool canary = false;
  json::Value candidate;  // the RiskRoutingPolicy the canary cohort runs
  std::string candidate_hash;
};

struct CanaryObservation {
  double latency_ms = 0;
  bool escalated = false, error = false;
  double cost_usd = 0;
};

class CanaryHub {
 public:
  // audit_entries: the server's count of audit entries written, one per rollout change stored.
  CanaryHub(Store& store, Counter& audit_entries) : store_(store), audit_entries_(audit_entries) {}
  // Resumes the rollouts the store holds as running.
  Status load();
  // Starts a rollout from {candidate, canary, actor, reason, evaluate_every?}: both documents
  // checked by the core, the CanaryPolicy's target naming the candidate and its metrics observable
  // per request. Answers the stored rollout; 409 conflict while one runs.
  Result<json::Value> start(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // Ends the tenant's running rollout by hand ({actor, reason}): status aborted, nothing promoted.
  // 409 conflict when none runs.
  Result<json::Value> abort(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // The tenant's rollout (the stored document with the current step's observation counts), or null.
  Result<json::Value> status(const std::string& tenant);
  std::optional<CanaryAssignment> assign(const std::string& tenant, const std::string& key);
  // Records one observation; evaluates, persists and audits when a step's count is reached.
  Status observe(const std::string& tenant, const CanaryAssignment& a, const CanaryObservation& o, int64_t now_ms);
  CanaryMetrics metrics;

 private:
  struct Cohort {
    std::vector<CanaryObservation> seen;
  };
  struct Running {
    json::Value doc;  // as stored
    Cohort baseline, canary;
    int64_t since = 0;  // observations since the last evaluation
  };
  Status evaluate(const std::string& tenant, Running& r, int64_t now_ms);
  Status persist(const std::string& tenant, const json::Value& doc, const char* audit_type, json::Value audit, bool promote,
                 int64_t now_ms);

  Store& store_;
  Counter& audit_entries_;
  std::mutex mu_;
  std::map<std::string, Running> running_;
};

}  // namespace flk::server
