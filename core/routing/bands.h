// Risk routing by score bands: a policy cuts [0, 1] into consecutive bands, each with an
// action for the caller (serve the answer, ground it with retrieval first, send it to a
// person, or refuse it). Bands are half-open [min_risk, max_risk) except the last, which
// is closed, and together they must tile [0, 1] with no gap or overlap.
#pragma once
#include <string>
#include <vector>

#include "util/result.h"

namespace flk::routing {

enum class Action { Accept, RagRequired, HumanReview, Reject };

struct Band {
  std::string name;
  double min_risk = 0;
  double max_risk = 1;
  Action action = Action::Accept;
};

struct Policy {
  std::vector<Band> bands;
};

// accept [0, 0.3), rag_required [0.3, 0.7), human_review [0.7, 0.9), reject [0.9, 1]:
// the example policy of the reference operator's documentation.
Policy default_policy();

// Checks the tiling rules; errors carry the path "$.bands[i]...".
Status validate(const Policy& p);

// The band holding risk (risk in [0, 1]; the policy validated).
const Band& band_for(const Policy& p, double risk);

const char* action_name(Action a);
// Parses "accept" | "rag_required" | "human_review" | "reject"; false when unknown.
bool parse_action(const std::string& s, Action& out);

}  // namespace flk::routing
