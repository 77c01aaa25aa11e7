// The canary area: each tenant's canary rollout (docs/server.md, "Canary rollouts") as one
// JSON document (canary_rollouts: the candidate and CanaryPolicy documents, the core's rollout
// state and the gate results so far), replaced by each change so that a restart resumes where the
// rollout stood. One rollout per tenant: a new one replaces an ended one.
#pragma once
#include <optional>
#include <string>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct CanaryRollout {
  std::string tenant;
  std::string id;      // the rollout's name, the cohort hash's salt
  std::string status;  // running | promoted | rolled_back | aborted
  std::string body;    // the whole rollout, JSON
  int64_t updated_ms = 0;
};

// Stores the rollout, replacing the tenant's (won). With expect_running, only while the stored
// one is running or there is none (not won otherwise: a rollout already ended is never revived).
class CanaryWrite final : public Write {
 public:
  const WriteType& type() const override;
  CanaryRollout rollout;
  bool expect_running = false;
};

namespace canary {

extern const Area kArea;

Result<std::optional<CanaryRollout>> rollout(Store& store, const std::string& tenant);
// The rollouts still running, for the server's start.
Result<std::vector<CanaryRollout>> running(Store& store);

}  // namespace canary
}  // namespace flk::server
