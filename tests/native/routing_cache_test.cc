// gate.decide keeps compiled RiskRoutingPolicies between calls (facade/routing_cache.h): a hit
// must be exactly the document given, whatever came before it.
#include <gtest/gtest.h>

#include <string>

#include "facade/engine.h"
#include "facade/routing_cache.h"
#include "json/parse.h"

namespace {

// A policy whose every band takes `action`, named `name`, with an override on a task attribute.
flk::json::Value policy(const std::string& name, const std::string& action, const std::string& when = "false") {
  return flk::json::parse(R"({"apiVersion":"flk.dev/policy/v1","kind":"RiskRoutingPolicy","metadata":{"name":")" + name +
                          R"(","version":1},"spec":{"selector":"true","scorer":{"model":"hrs-default"},"fail_mode":"closed","bands":[{"name":"all",
                          "min_risk":0,"max_risk":1,"action":")" + action + R"("}],"overrides":[{"when":")" + when +
                          R"(","action":"reject"}]}})")
      .value();
}

flk::Result<flk::json::Value> decide(flk::Engine& e, const flk::json::Value& doc) {
  flk::json::Value in = flk::json::Value::object();
  in.set("question", "When was it finished?").set("context", "It was finished in 1889.").set("answer", "In 1889.");
  in.set("routing_policy", doc).set("tenant", "acme").set("attributes", flk::json::Value::object().set("task", "qa"));
  return e.call_value("gate.decide", in);
}

std::string routed(const flk::Result<flk::json::Value>& d) {
  if (!d.ok()) return "error " + d.error().code + " " + d.error().path;
  const flk::json::Value& r = *d->find("routing");
  return r.find("policy")->find("name")->as_string() + " " + r.find("action")->as_string();
}

TEST(RoutingCache, EveryDocumentIsDecidedAsItselfAcrossHitsMissesAndEvictions) {
  flk::Engine e;
  EXPECT_EQ(routed(decide(e, policy("p", "accept"))), "p accept");
  EXPECT_EQ(routed(decide(e, policy("p", "human_review"))), "p human_review");  // same name, other bands
  EXPECT_EQ(routed(decide(e, policy("p", "accept"))), "p accept");
  EXPECT_EQ(routed(decide(e, policy("p", "accept", "attributes.task == 'qa'"))), "p reject");  // only the CEL differs
  // More documents than the cache holds, twice round: each is still itself.
  for (int round = 0; round < 2; ++round)
    for (size_t i = 0; i < flk::kRoutingCacheEntries + 3; ++i) {
      const std::string name = "p" + std::to_string(i);
      EXPECT_EQ(routed(decide(e, policy(name, i % 2 ? "accept" : "human_review"))), name + (i % 2 ? " accept" : " human_review"));
    }
  // A bad document after good ones is refused, and is not kept.
  flk::json::Value bad = policy("p0", "accept");
  bad.as_object()[3].second.set("fail_mode", "sideways");
  EXPECT_EQ(routed(decide(e, bad)), "error out_of_range $.routing_policy.spec.fail_mode");
  EXPECT_EQ(routed(decide(e, bad)), "error out_of_range $.routing_policy.spec.fail_mode");
}

}  // namespace
