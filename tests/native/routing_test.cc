#include <gtest/gtest.h>

#include "routing/bands.h"

using namespace flk::routing;

TEST(Routing, DefaultPolicyTilesTheUnitInterval) {
  Policy p = default_policy();
  ASSERT_TRUE(validate(p).ok());
  EXPECT_EQ(band_for(p, 0.0).action, Action::Accept);
  EXPECT_EQ(band_for(p, 0.3).action, Action::RagRequired);
  EXPECT_EQ(band_for(p, 0.7).action, Action::HumanReview);
  EXPECT_EQ(band_for(p, 0.9).action, Action::Reject);
  EXPECT_EQ(band_for(p, 1.0).action, Action::Reject);  // the last band is closed
}

TEST(Routing, ValidateRejectsGapsOverlapsAndShortPolicies) {
  Policy gap{{{"a", 0.0, 0.4, Action::Accept}, {"b", 0.5, 1.0, Action::Reject}}};
  EXPECT_EQ(validate(gap).error().path, "$.bands[1].min_risk");
  Policy overlap{{{"a", 0.0, 0.6, Action::Accept}, {"b", 0.5, 1.0, Action::Reject}}};
  EXPECT_EQ(validate(overlap).error().path, "$.bands[1].min_risk");
  Policy shy{{{"a", 0.0, 0.6, Action::Accept}}};
  EXPECT_EQ(validate(shy).error().path, "$.bands[0].max_risk");
  EXPECT_EQ(validate(Policy{}).error().code, "out_of_range");
}

TEST(Routing, ActionNamesRoundTrip) {
  for (Action a : {Action::Accept, Action::RagRequired, Action::HumanReview, Action::Reject}) {
    Action back;
    ASSERT_TRUE(parse_action(action_name(a), back));
    EXPECT_EQ(back, a);
  }
  Action unused;
  EXPECT_FALSE(parse_action("allow", unused));
}
