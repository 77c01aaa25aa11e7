// Canary rollouts of a candidate RiskRoutingPolicy in flk-server (docs/server.md, "Canary
// rollouts"). While a tenant's rollout runs, each POST /v1/verify request is put in the canary or
// the baseline cohort by the core's consistent hash (canary.cohort) of the request body, the canary
// cohort routed by the candidate; each request's observation (latency, escalated, error, served,
// cost) is stored with its decision in the canary area, so that every instance on one database
// judges the same cohorts. Every `evaluate_every` requests of an instance, or `evaluate_every_ms`
// after the last evaluation, the core judges the cohorts of the current phase (canary.gate) and
// moves the rollout (canary.step): advance, hold, count a failed gate, roll back or promote. Each
// evaluation is stored by a compare-and-set on the rollout's revision (of instances evaluating at
// once one wins, the others drop their copy) and audited; a promotion makes the candidate active
// (a PolicyWrite by "canary") in the same transaction.
#pragma once
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "json/value.h"
#include "metrics/family.h"
#include "metrics/metrics.h"
#include "store/canary/canary.h"
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
  int64_t phase = 0;
  int64_t max_samples = 0;  // per cohort and phase
  bool canary = false;
  json::Value candidate;  // the RiskRoutingPolicy the canary cohort runs
  std::string candidate_hash;
};

class CanaryHub {
 public:
  // audit_entries: the server's count of audit entries written, one per rollout change stored.
  CanaryHub(Store& store, Counter& audit_entries) : store_(store), audit_entries_(audit_entries) {}
  // Resumes the rollouts the store holds as running.
  Status load();
  // Starts a rollout from {candidate, canary, actor, reason, evaluate_every?, evaluate_every_ms?}: both documents
  // checked by the core, the CanaryPolicy's target naming the candidate and its metrics observable
  // per request. Answers the stored rollout; 409 conflict while one runs.
  Result<json::Value> start(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // Ends the tenant's running rollout by hand ({actor, reason}): status aborted, nothing promoted.
  // 409 conflict when none runs.
  Result<json::Value> abort(const std::string& tenant, const json::Value& body, int64_t now_ms);
  // The tenant's rollout (the stored document with the current step's observation counts), or null.
  Result<json::Value> status(const std::string& tenant);
  // The request's cohort when the tenant has a rollout running (this instance's copy of it brought
  // up to date with the store's first).
  Result<std::optional<CanaryAssignment>> assign(const std::string& tenant, const std::string& key);
  // The write that stores a request's observation (with its decision, in one transaction).
  static CanaryObservationWrite observation(const std::string& tenant, const CanaryAssignment& a, CanaryObservation o);
  // After a request of the rollout was decided (`stored`: its observation was recorded; a full
  // cohort records no more, but the request still counts towards the next evaluation): evaluates,
  // persists and audits when one is due. The store is read and written outside the hub's lock.
  Status observed(const std::string& tenant, const CanaryAssignment& a, bool stored, int64_t now_ms);
  CanaryMetrics metrics;

 private:
  struct Running {
    json::Value doc;  // as stored
    int64_t phase = 0, revision = 0;
    int64_t since = 0;         // this instance's requests since its last evaluation
    bool evaluating = false;   // an evaluation of this revision is under way on this instance
  };
  // What an evaluation did: another instance stored first (lost), the rollout ended (rolled back
  // or promoted), or it goes on (r holds the stored document, phase and revision).
  enum class Outcome { lost, ended, goes_on };
  Status sync(const std::string& tenant);
  Result<Outcome> evaluate(const std::string& tenant, Running& r, int64_t now_ms);
  // Stores the rollout (won), its audit entry and on promotion the active policy; expect_revision
  // >= 0: only over that revision of the running rollout. Sets *revision to the stored one.
  Result<bool> persist(const std::string& tenant, const json::Value& doc, const char* audit_type, json::Value audit,
                       bool promote, int64_t now_ms, int64_t phase, int64_t expect_revision, int64_t* revision);

  Store& store_;
  Counter& audit_entries_;
  std::mutex mu_;
  std::map<std::string, Running> running_;
};

}  // namespace flk::server
