#include "routing/bands.h"

namespace flk::routing {
namespace {

struct ActionName {
  Action action;
  const char* name;
};
constexpr ActionName kActions[] = {{Action::Accept, "accept"},
                                   {Action::RagRequired, "rag_required"},
                                   {Action::HumanReview, "human_review"},
                                   {Action::Reject, "reject"}};

std::string band_path(size_t i, const char* field) {
  return "$.bands[" + std::to_string(i) + "]." + field;
}

}  // namespace

Policy default_policy() {
  return Policy{{{"low", 0.0, 0.3, Action::Accept},
                 {"medium", 0.3, 0.7, Action::RagRequired},
                 {"high", 0.7, 0.9, Action::HumanReview},
                 {"critical", 0.9, 1.0, Action::Reject}}};
}

Status validate(const Policy& p) {
  if (p.bands.empty()) return make_error("out_of_range", "a policy needs at least one band", "$.bands");
  double expect_min = 0.0;
  for (size_t i = 0; i < p.bands.size(); ++i) {
    const Band& b = p.bands[i];
    if (b.min_risk != expect_min)
      return make_error("out_of_range",
                        i == 0 ? "the first band must start at 0" : "each band must start where the previous one ends",
                        band_path(i, "min_risk"));
    if (!(b.max_risk > b.min_risk))
      return make_error("out_of_range", "max_risk must be greater than min_risk", band_path(i, "max_risk"));
    expect_min = b.max_risk;
  }
  if (expect_min != 1.0)
    return make_error("out_of_range", "the last band must end at 1", band_path(p.bands.size() - 1, "max_risk"));
  return Ok{};
}

const Band& band_for(const Policy& p, double risk) {
  for (const Band& b : p.bands)
    if (risk < b.max_risk) return b;
  return p.bands.back();
}

const char* action_name(Action a) {
  for (const ActionName& n : kActions)
    if (n.action == a) return n.name;
  return "reject";
}

bool parse_action(const std::string& s, Action& out) {
  for (const ActionName& n : kActions)
    if (s == n.name) {
      out = n.action;
      return true;
    }
  return false;
}

}  // namespace flk::routing
