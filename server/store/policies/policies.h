// The policies area: each tenant's policy documents (docs/policy.md; one active per kind:
// RiskRoutingPolicy, EnsemblePolicy, BudgetPolicy, CanaryPolicy) as numbered versions
// (policy_versions, kept for history) and which version of each kind is active (policy_active,
// with the one it replaced, for a one-step revert). A document is validated and hashed by the
// core (policy.validate) before it reaches the store.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct PolicyVersion {
  std::string tenant;
  int64_t version = 0;    // the store's number, per tenant
  std::string kind;
  std::string name;       // metadata.name: the policy id
  int64_t doc_version = 0;  // metadata.version
  std::string hash;       // policy.validate's hash of the canonical JSON
  std::string doc;        // the document as JSON
  std::string actor, reason;
  int64_t created_ms = 0;
  std::optional<int64_t> reverts;  // a revert: the version whose bundle it restored
};

// Makes a document the tenant's active policy of its kind as a new version (won), unless the
// active one of that kind has the same hash (not won, nothing written). With revert set, the
// document is the one of the version the active one of `kind` replaced; not won when there is
// none. After apply, version holds the version written (or the active one when unchanged).
class PolicyWrite final : public Write {
 public:
  const WriteType& type() const override;
  bool revert = false;
  PolicyVersion policy;  // revert: only tenant, kind, actor, reason and created_ms are read
  bool nothing_to_revert = false;
  // When set, a write earlier in the same batch that must have won for this one to apply (a canary
  // promotion goes with the rollout's compare-and-set).
  const Write* only_if_won = nullptr;
};

namespace policies {

extern const Area kArea;

// The tenant's active version of each kind, with their documents, by kind.
Result<std::vector<PolicyVersion>> active(Store& store, const std::string& tenant);
// The tenant's versions (of one kind, or all when kind is empty), newest first, at most limit,
// without their documents.
Result<std::vector<PolicyVersion>> history(Store& store, const std::string& tenant, const std::string& kind, int64_t limit);
// One version with its document.
Result<std::optional<PolicyVersion>> version(Store& store, const std::string& tenant, int64_t version);

}  // namespace policies
}  // namespace flk::server
