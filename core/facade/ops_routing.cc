// Risk routing as an op, so every host (browser, Worker, Fastly program, server) turns a risk
// score into the same action with the same policy rules.
#include "facade/registry.h"
#include "facade/routing_input.h"
#include "json/fields.h"
#include "routing/bands.h"

namespace flk {
namespace {

constexpr size_t kMaxBands = 16;
constexpr json::Range kUnit{0.0, 1.0};

Result<routing::Band> read_band(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  routing::Band b;
  FLK_ASSIGN(b.name, r.string("name", 64));
  FLK_ASSIGN(b.min_risk, r.number("min_risk", kUnit));
  FLK_ASSIGN(b.max_risk, r.number("max_risk", kUnit));
  FLK_ASSIGN(std::string action, r.string("action", 32));
  if (!routing::parse_action(action, b.action))
    return make_error("out_of_range", "action must be accept, rag_required, human_review or reject",
                      r.path_of("action"));
  FLK_TRY(r.finish());
  return b;
}

}  // namespace

namespace routing_io {

Result<routing::Policy> read_policy(const json::Value* v) {
  if (!v) return routing::default_policy();
  if (!v->is_array()) return json::wrong_type("$.bands", "an array", *v);
  if (v->as_array().size() > kMaxBands)
    return make_error("too_large", "at most " + std::to_string(kMaxBands) + " bands", "$.bands");
  routing::Policy p;
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    FLK_ASSIGN(routing::Band b, read_band(v->as_array()[i], json::index_path("$.bands", i)));
    p.bands.push_back(std::move(b));
  }
  FLK_TRY(routing::validate(p));
  return p;
}

}  // namespace routing_io

namespace {

Result<json::Value> op_decide(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(double risk, r.number("risk", kUnit));
  FLK_ASSIGN(routing::Policy policy, routing_io::read_policy(r.optional("bands")));
  FLK_TRY(r.finish());
  const routing::Band& b = routing::band_for(policy, risk);
  json::Value out = json::Value::object();
  out.set("action", routing::action_name(b.action))
      .set("band", b.name)
      .set("min_risk", b.min_risk)
      .set("max_risk", b.max_risk);
  return out;
}

}  // namespace

void add_routing_ops(std::vector<OpSpec>& t) {
  t.push_back({"routing.decide",
               "Action for a risk score under a band policy (default: accept < 0.3 <= rag_required < 0.7 <= "
               "human_review < 0.9 <= reject).",
               "{ risk: number; bands?: { name: string; min_risk: number; max_risk: number; action: 'accept' | "
               "'rag_required' | 'human_review' | 'reject' }[] }",
               "{ action: 'accept' | 'rag_required' | 'human_review' | 'reject'; band: string; min_risk: number; "
               "max_risk: number }",
               op_decide});
}

}  // namespace flk
