// The verify area: the gate's signed decisions (verifications, first write wins on (tenant, id);
// the cost area joins usage events' verification_id against it) and the labels people or
// downstream checks attach to them (verification_labels, one per (tenant, id, source), the last
// write wins), from which the per-tenant agreement statistics are read.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct Verification {
  std::string tenant, id;
  std::string action;  // accept | escalate | reject
  int64_t created = 0;  // epoch ms
  std::string policy_id;
  std::string body;  // the signed decision, JSON
};

// Stores the decision (won: stored; an id seen before keeps the first). Not journaled: commits durably.
class VerificationWrite final : public Write {
 public:
  const WriteType& type() const override;
  Verification v;
};

struct VerificationLabel {
  std::string tenant, id;  // the verification's
  std::string source;      // who labelled it: "human", "downstream", ...
  bool hallucinated = false;
  std::string note;
  int64_t created = 0;
};

// Stores or replaces the label of (tenant, id, source); won: false when the tenant has no
// verification with that id (nothing stored).
class LabelWrite final : public Write {
 public:
  const WriteType& type() const override;
  VerificationLabel label;
};

namespace verify {

extern const Area kArea;

Result<std::optional<Verification>> verification(Store& store, const std::string& tenant, const std::string& id);

// Labelled decisions of a tenant, counted by (action, hallucinated).
struct AgreementCell {
  std::string action;
  bool hallucinated = false;
  int64_t count = 0;
};
Result<std::vector<AgreementCell>> agreement(Store& store, const std::string& tenant);

// The newest `limit` labels of the tenant (of one source, or all when source is empty) with
// their decisions' signed bodies.
struct Labelled {
  std::string body;
  bool hallucinated = false;
};
Result<std::vector<Labelled>> labelled(Store& store, const std::string& tenant, const std::string& source, int64_t limit);

}  // namespace verify
}  // namespace flk::server
