// The canary area: each tenant's canary rollout (docs/server.md, "Canary rollouts") as one
// JSON document (canary_rollouts: the candidate and CanaryPolicy documents, the core's rollout
// state and the gate results so far), replaced by each change so that a restart resumes where the
// rollout stood; and the observations of the rollout's current phase (canary_observations: one row
// per POST /v1/verify in a cohort), which every server instance on one database writes and the
// evaluation reads. One rollout per tenant: a new one replaces an ended one.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct CanaryRollout {
  std::string tenant;
  std::string id;      // the rollout's name, the cohort hash's salt
  std::string status;  // running | promoted | rolled_back | aborted
  std::string body;    // the whole rollout, JSON
  int64_t updated_ms = 0;
  // The comparison the observations belong to: a new one at each advance or failed gate.
  int64_t phase = 0;
  // One more at every write of the tenant's row (set by the store, read back when won): the
  // compare-and-set of instances evaluating at once.
  int64_t revision = 0;
};

// Stores the rollout, replacing the tenant's (won). Without expect_running (a start), only when
// the stored one has ended or there is none. With expect_running, only while the stored
// one is running under the same id or there is none (not won otherwise: a rollout already ended is
// never revived), and with expect_revision >= 0 only while the stored revision is that one (an instance that lost
// the race to evaluate changes nothing). A write that wins drops the observations of every other
// rollout and of the rollout's earlier phases.
class CanaryWrite final : public Write {
 public:
  const WriteType& type() const override;
  CanaryRollout rollout;
  bool expect_running = false;
  int64_t expect_revision = -1;
};

struct CanaryObservation {
  std::string cohort;  // baseline | canary
  std::string verification_id;
  double latency_ms = 0;
  bool escalated = false, error = false;
  bool served = false;  // the answer went out (docs/server.md, "Canary rollouts": containment)
  // The request's own cost (its usage.cost_usd); read back as the spend of the usage events
  // naming its verification_id when there are any.
  double cost_usd = 0;
  int64_t created = 0;
  int label = -1;  // read back: 1 hallucinated, 0 faithful, -1 unlabelled
};

// Appends one observation of (tenant, rollout, phase) (won) while that phase of that rollout is
// the stored running one and its cohort holds fewer than max_samples; else nothing (recording stops
// at max_samples; the gate goes on judging those, with labels that arrive later).
class CanaryObservationWrite final : public Write {
 public:
  const WriteType& type() const override;
  std::string rollout;
  int64_t phase = 0;
  int64_t max_samples = 0;
  CanaryObservation o;
};

namespace canary {

extern const Area kArea;

Result<std::optional<CanaryRollout>> rollout(Store& store, const std::string& tenant);
// The rollouts still running, for the server's start.
Result<std::vector<CanaryRollout>> running(Store& store);
// The running rollout's (id, phase, revision) when the tenant has one: the per-request check that a
// server instance's copy is current.
struct Head {
  std::string id;
  int64_t phase = 0, revision = 0;
};
Result<std::optional<Head>> running_head(Store& store, const std::string& tenant);
// A phase's observations of one cohort, the first `limit` in order of arrival, each with its
// verification's label (a human's, else the latest) and cost (above).
Result<std::vector<CanaryObservation>> observations(Store& store, const std::string& tenant, const std::string& rollout,
                                                    int64_t phase, const std::string& cohort, int64_t limit);
// How many observations each cohort of the phase holds: {baseline, canary}.
Result<std::pair<int64_t, int64_t>> observed(Store& store, const std::string& tenant, const std::string& rollout, int64_t phase);

}  // namespace canary
}  // namespace flk::server
