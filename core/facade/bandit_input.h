// Reading and writing the bandit's JSON (docs/ensemble.md, "Adaptive per tenant"): the state a
// host stores per tenant and policy, and an EnsemblePolicy's `adaptive` block, which gate.decide
// turns into the policy of one arm per request.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ensemble/bandit.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::bandit_io {

// {arms: {name: {alpha, beta, pulls, cost_sum}}}: at most kMaxArms, alpha and beta in [0.01, 1e6].
Result<std::vector<ensemble::ArmState>> read_state(const json::Value& v, const std::string& path);
json::Value state_json(const std::vector<ensemble::ArmState>& arms);

// The arms by name, each with its stored state or the Beta(1, 1) prior (state of other arms is ignored).
std::vector<ensemble::ArmState> with_state(const std::vector<std::string>& names, const std::vector<ensemble::ArmState>& stored);
// {name: draw} in arm order.
json::Value draws_json(const std::vector<ensemble::ArmState>& arms, const ensemble::Choice& c);

// An arm's name: 1 to 64 of [a-z0-9_.-].
Result<std::string> read_name(const json::Value& v, const std::string& path);

// A list of 1 to kMaxArms arms, each an object with a unique name; its other keys are its config:
// any keys when `keys` is empty, else only those (others refused at their path).
struct Arms {
  std::vector<std::string> names;
  std::vector<json::Value> configs;  // each arm's keys other than name
};
Result<Arms> read_arms(const json::Value& v, const std::string& path, const std::vector<const char*>& keys = {});

// policy.adaptive: {arms: [{name, voters?, n?, method?, cascade?}] (1 to 8), cost_weight? (0),
// cost_scale_us? (1000), discount? (1)}.
struct Adaptive : Arms {
  double cost_weight = 0, cost_scale_us = 1000, discount = 1;
};
Result<Adaptive> read_adaptive(const json::Value& v, const std::string& path);

// The policy one arm runs: the policy without `adaptive`, the arm's keys in place of its own.
json::Value arm_policy(const json::Value& policy, const json::Value& config);

// An ensemble policy (at `path`) as the gate runs it: without `adaptive`, the ensemble's reader;
// with it, its `adaptive` block and every arm's policy (errors at <path>.adaptive.arms[i]…).
// `adaptive` is set when the policy has one.
Status check_policy(const json::Value& policy, const std::string& path, std::optional<Adaptive>* adaptive = nullptr);

}  // namespace flk::bandit_io
