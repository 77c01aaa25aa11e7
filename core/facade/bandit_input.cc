#include "facade/bandit_input.h"

#include "facade/ensemble_input.h"
#include "json/fields.h"

namespace flk::bandit_io {

using ensemble::ArmState;
using json::ObjectReader;

Result<std::string> read_name(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(std::string name, json::read_string(v, path, 64));
  if (!ensemble_io::safe_name(name))
    return make_error("bad_format", path + " must be 1 to 64 characters from a-z 0-9 _ - .", path);
  return name;
}

Result<std::vector<ArmState>> read_state(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* arms, r.required("arms"));
  FLK_TRY(r.finish());
  const std::string apath = r.path_of("arms");
  if (!arms->is_object()) return json::wrong_type(apath, "object", *arms);
  if (arms->as_object().size() > ensemble::kMaxArms) return make_error("too_large", apath + " holds at most 8 arms", apath);
  std::vector<ArmState> out;
  for (const auto& [name, body] : arms->as_object()) {
    const std::string p = json::join_path(apath, name);
    ArmState a;
    FLK_ASSIGN(a.name, read_name(json::Value(name), p));
    FLK_ASSIGN(auto b, ObjectReader::open(body, p));
    FLK_ASSIGN(a.alpha, b.number("alpha", {0.01, ensemble::kMaxPosterior}));
    FLK_ASSIGN(a.beta, b.number("beta", {0.01, ensemble::kMaxPosterior}));
    FLK_ASSIGN(int64_t pulls, b.integer("pulls", 0, int64_t{1} << 53));
    FLK_ASSIGN(a.cost_sum, b.number("cost_sum", {0, 9007199254740992.0}));
    FLK_TRY(b.finish());
    a.pulls = static_cast<uint64_t>(pulls);
    out.push_back(std::move(a));
  }
  return out;
}

json::Value state_json(const std::vector<ArmState>& arms) {
  json::Value m = json::Value::object();
  for (const ArmState& a : arms) {
    json::Value o = json::Value::object();
    o.set("alpha", a.alpha).set("beta", a.beta).set("pulls", static_cast<int64_t>(a.pulls)).set("cost_sum", a.cost_sum);
    m.set(a.name, std::move(o));
  }
  json::Value s = json::Value::object();
  s.set("arms", std::move(m));
  return s;
}

std::vector<ArmState> with_state(const std::vector<std::string>& names, const std::vector<ArmState>& stored) {
  std::vector<ArmState> arms;
  for (const std::string& name : names) {
    ArmState a;
    for (const ArmState& s : stored)
      if (s.name == name) a = s;
    a.name = name;
    arms.push_back(std::move(a));
  }
  return arms;
}

json::Value draws_json(const std::vector<ArmState>& arms, const ensemble::Choice& c) {
  json::Value draws = json::Value::object();
  for (size_t i = 0; i < arms.size(); ++i) draws.set(arms[i].name, c.draws[i]);
  return draws;
}

Result<Adaptive> read_adaptive(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, ObjectReader::open(v, path));
  FLK_ASSIGN(const json::Value* arms, r.required("arms"));
  FLK_ASSIGN(auto weight, r.opt_number("cost_weight", {0, 1}));
  FLK_ASSIGN(auto scale, r.opt_number("cost_scale_us", {1, 1e12}));
  FLK_ASSIGN(auto discount, r.opt_number("discount", {0.5, 1}));
  FLK_TRY(r.finish());
  Adaptive a;
  a.cost_weight = weight.value_or(a.cost_weight);
  a.cost_scale_us = scale.value_or(a.cost_scale_us);
  a.discount = discount.value_or(a.discount);
  FLK_ASSIGN(Arms list, read_arms(*arms, r.path_of("arms"), {"voters", "n", "method", "cascade"}));
  static_cast<Arms&>(a) = std::move(list);
  return a;
}

Result<Arms> read_arms(const json::Value& v, const std::string& path, const std::vector<const char*>& keys) {
  if (!v.is_array()) return json::wrong_type(path, "array", v);
  const auto& list = v.as_array();
  if (list.empty() || list.size() > ensemble::kMaxArms)
    return make_error(list.empty() ? "bad_length" : "too_large", path + " must hold 1 to 8 arms", path);
  Arms a;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string p = json::index_path(path, i);
    FLK_ASSIGN(auto arm, ObjectReader::open(list[i], p));
    FLK_ASSIGN(const json::Value* n, arm.required("name"));
    FLK_ASSIGN(std::string name, read_name(*n, arm.path_of("name")));
    json::Value config = json::Value::object();
    if (keys.empty()) {
      for (const auto& [k, x] : list[i].as_object())
        if (k != "name") config.set(k, x);
    } else {
      for (const char* k : keys)
        if (const json::Value* x = arm.optional(k)) config.set(k, *x);
      FLK_TRY(arm.finish());
    }
    for (const std::string& seen : a.names)
      if (seen == name) return make_error("duplicate_key", p + ": arm " + name + " is listed twice", arm.path_of("name"));
    a.names.push_back(std::move(name));
    a.configs.push_back(std::move(config));
  }
  return a;
}

json::Value arm_policy(const json::Value& policy, const json::Value& config) {
  json::Value out = json::Value::object();
  for (const auto& [k, v] : policy.as_object())
    if (k != "adaptive" && !config.find(k)) out.set(k, v);
  for (const auto& [k, v] : config.as_object()) out.set(k, v);
  return out;
}

Status check_policy(const json::Value& policy, const std::string& path, std::optional<Adaptive>* adaptive) {
  const json::Value* block = policy.is_object() ? policy.find("adaptive") : nullptr;
  if (!block) {
    FLK_TRY(ensemble_io::read_policy(policy, path));
    return Ok{};
  }
  const std::string apath = json::join_path(path, "adaptive");
  FLK_ASSIGN(Adaptive a, read_adaptive(*block, apath));
  for (size_t i = 0; i < a.names.size(); ++i)
    FLK_TRY(ensemble_io::read_policy(arm_policy(policy, a.configs[i]), json::index_path(json::join_path(apath, "arms"), i)));
  if (adaptive) *adaptive = std::move(a);
  return Ok{};
}

}  // namespace flk::bandit_io
