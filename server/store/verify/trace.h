// A tenant's stored decisions read back as a trace for the policy simulator (docs/server.md,
// "Policy simulation"): the newest first, bounded by the caller, each with its label when one exists.
#pragma once
#include <string>
#include <vector>

#include "store/store.h"

namespace flk::server::verify {

struct TracedDecision {
  std::string id;
  std::string body;  // the signed decision, JSON
  int label = -1;    // 1: hallucinated, 0: faithful, -1: unlabelled
};

// At most `limit` decisions, newest first (ties by id). A decision labelled by several sources
// takes a human's label, else the latest one.
Result<std::vector<TracedDecision>> recent_decisions(Store& store, const std::string& tenant, int64_t limit);

}  // namespace flk::server::verify
