// Who and what a usage event is spent for: the task it served, optionally the end user, a few
// labels and the verification that judged its result (cost per trusted task joins on it). Read
// from the usage event itself (cost.usage input, the server's POST /v1/cost/usage), bounded so a
// stored event's attribution stays small.
//   task?: 1-128 of A-Z a-z 0-9 - _ . (not starting with a dot)
//   user?: 1-256 printable ASCII characters
//   labels?: at most 16 {key: value}, keys 1-64 of a-z 0-9 _ (starting with a letter), values
//            0-256 printable ASCII characters
//   verification_id?: like task
#pragma once
#include <string>

#include "cost/ledger.h"
#include "json/fields.h"

namespace flk::cost {

constexpr size_t kMaxAttributionLabels = 16;

struct Attribution {
  std::string task, user, verification_id;  // "" when absent
  Labels labels;                            // sorted by key

  bool empty() const { return task.empty() && user.empty() && verification_id.empty() && labels.empty(); }
};

Result<Attribution> read_attribution(json::ObjectReader& r);

// {"task"?, "user"?, "labels"?, "verification_id"?}: only the fields that are set.
json::Value attribution_json(const Attribution& a);

}  // namespace flk::cost
