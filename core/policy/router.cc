#include "policy/router.h"

#include "json/fields.h"
#include "policy/kinds.h"

namespace flk::policy {
namespace {

std::vector<cel::Binding> bindings(const Request& r, const std::string* band) {
  std::vector<cel::Binding> b;
  b.push_back({"tenant", cel::Value::str(r.tenant)});
  b.push_back({"risk", cel::Value::dbl(r.risk)});
  b.push_back({"confidence", r.confidence ? cel::Value::dbl(*r.confidence) : cel::Value()});
  b.push_back({"attributes", r.attributes.is_object() ? cel::from_json(r.attributes) : cel::from_json(json::Value::object())});
  if (band) b.push_back({"band", cel::Value::str(*band)});
  return b;
}

Result<bool> holds(const cel::Program& p, const std::vector<cel::Binding>& b, const std::string& path) {
  FLK_ASSIGN(cel::Value v, cel::eval(p, b, path));
  if (v.kind != cel::Kind::Bool)
    return make_error("cel_eval", path + ": the condition gave a " + cel::kind_name(v.kind) + ", not a bool", path);
  return v.b;
}

void take_action(const json::Value& o, Decision& d) {
  d.action = o.find("action")->as_string();
  d.budget_factor.reset();
  d.region.clear();
  if (const json::Value* f = o.find("budget_factor")) d.budget_factor = f->as_double();
  if (const json::Value* g = o.find("region")) d.region = g->as_string();
}

}  // namespace

int escalation(const std::string& action) {
  for (int i = 0; kActions[i]; ++i)
    if (action == kActions[i]) return i;
  return -1;
}

Result<Router> Router::make(const Bundle& b, const std::string& path) {
  if (b.kind != "RiskRoutingPolicy")
    return make_error("out_of_range", path + ".kind must be RiskRoutingPolicy here, not " + b.kind, path + ".kind");
  Router r;
  r.spec_ = *b.doc.find("spec");
  r.path_ = path + ".spec";
  if (const json::Value* s = r.spec_.find("selector")) {
    FLK_ASSIGN(cel::Program p, cel::compile(s->as_string(), r.path_ + ".selector"));
    r.selector_ = std::move(p);
  }
  if (const json::Value* o = r.spec_.find("overrides"))
    for (size_t i = 0; i < o->as_array().size(); ++i) {
      const json::Value& ov = o->as_array()[i];
      std::string p = json::index_path(r.path_ + ".overrides", i) + ".when";
      FLK_ASSIGN(cel::Program when, cel::compile(ov.find("when")->as_string(), p));
      r.overrides_.push_back({std::move(when), ov});
    }
  return r;
}

int64_t Router::cost() const {
  int64_t c = selector_ ? selector_->cost : 0;
  for (const Override& o : overrides_) c += o.when.cost;
  return c;
}

Result<Decision> Router::decide(const Request& r) const {
  Decision d;
  if (selector_) {
    FLK_ASSIGN(bool in, holds(*selector_, bindings(r, nullptr), path_ + ".selector"));
    if (!in) return d;
  }
  d.applies = true;
  const json::Value* budget = spec_.find("latency_budget_ms");
  bool late = budget && r.latency_ms && *r.latency_ms > budget->as_int();
  if (r.scorer_failed || late) {
    d.action = spec_.find("fail_mode")->as_string() == "open" ? "accept" : "reject";
    d.reason = "fail_mode";
    return d;
  }
  const auto& bands = spec_.find("bands")->as_array();
  const json::Value* band = &bands.back();
  for (const json::Value& b : bands)
    if (r.risk < b.find("max_risk")->as_double()) {
      band = &b;
      break;
    }
  d.band = band->find("name")->as_string();
  take_action(*band, d);
  d.reason = "band";
  std::vector<cel::Binding> env = bindings(r, &d.band);
  for (size_t i = 0; i < overrides_.size(); ++i) {
    FLK_ASSIGN(bool hit, holds(overrides_[i].when, env, json::index_path(path_ + ".overrides", i) + ".when"));
    if (!hit) continue;
    take_action(overrides_[i].action, d);
    d.reason = "override";
    d.override_index = int(i);
    break;
  }
  const json::Value* min_conf = spec_.find("scorer")->find("min_confidence");
  if (min_conf && r.confidence && *r.confidence < min_conf->as_double() && escalation(d.action) < escalation("human_review")) {
    d.action = "human_review";
    d.budget_factor.reset();
    d.region.clear();
    d.reason = "low_confidence";
  }
  return d;
}

}  // namespace flk::policy
