// POST /v1/admin/tenants/{tenant}/policies/simulate {policy|policy_yaml, baseline?|baseline_yaml?, limit?} (docs/server.md,
// "Policy simulation"): the tenant's stored verification decisions, newest first and at most `limit`,
// replayed through a candidate RiskRoutingPolicy by the core's policy.simulate. Against: the
// baseline document when given, else the tenant's active RiskRoutingPolicy, else the actions the
// decisions recorded. The report is the op's, with what was read.
#include "app/app.h"
#include "app/facade.h"
#include "app/tenant_access.h"
#include "json/fields.h"
#include "json/parse.h"
#include "store/policies/policies.h"
#include "store/verify/trace.h"

namespace flk::server {
namespace {

constexpr int64_t kDefaultRows = 10000, kMaxRows = 20000;

// One stored decision as a trace record: the risk the routing saw (none: the scorer failed), the
// attributes it routed on, the routing action it recorded and its label. Empty when the decision was
// not routed (it names no routing action to compare with).
json::Value trace_record(const std::string& tenant, const verify::TracedDecision& d) {
  auto parsed = json::parse(d.body);
  if (!parsed.ok()) return json::Value();
  const json::Value* decision = parsed->find("decision");
  const json::Value* routing = decision ? decision->find("routing") : nullptr;
  if (!routing || !routing->is_object() || !routing->find("action")) return json::Value();
  json::Value rec = json::Value::object();
  rec.set("id", d.id).set("tenant", tenant).set("action", *routing->find("action"));
  if (const json::Value* risk = routing->find("risk")) rec.set("risk", *risk);
  else rec.set("scorer_failed", true);
  const json::Value* attributes = parsed->find("attributes");
  rec.set("attributes", attributes && attributes->is_object() ? *attributes : json::Value::object());
  if (d.label >= 0) rec.set("label", d.label ? "hallucinated" : "ok");
  return rec;
}

// The tenant's active RiskRoutingPolicy document, or null.
Result<json::Value> active_routing(App& app, const std::string& tenant) {
  FLK_ASSIGN(std::vector<PolicyVersion> active, policies::active(*app.store, tenant));
  for (const PolicyVersion& p : active)
    if (p.kind == "RiskRoutingPolicy") return json::parse(p.doc);
  return json::Value();
}

void post_simulate(App& app, Request& req, Reply reply) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  if (!existing_tenant(app, tenant, &err)) return reply(std::move(err));
  json::Value in = json::Value::object();
  int64_t limit = kDefaultRows;
  Status s = [&]() -> Status {
    FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
    // Each document as JSON or YAML text: policy.simulate takes either and refuses both or neither.
    for (const char* key : {"policy", "policy_yaml", "baseline", "baseline_yaml"})
      if (const json::Value* v = r.optional(key)) in.set(key, *v);
    FLK_ASSIGN(auto n, r.opt_integer("limit", 1, kMaxRows));
    limit = n.value_or(kDefaultRows);
    return r.finish();
  }();
  if (!s.ok()) return reply(content_error(s.error()));
  const bool given = in.find("baseline") || in.find("baseline_yaml");
  std::string against = given ? "baseline" : "recorded";
  if (!given) {
    auto active = active_routing(app, tenant);
    if (!active.ok()) return reply(store_failure(active.error(), active.error().message, app.metrics));
    if (!active->is_null()) {
      in.set("baseline", std::move(active.value()));
      against = "active";
    }
  }
  auto rows = verify::recent_decisions(*app.store, tenant, limit);
  if (!rows.ok()) return reply(store_failure(rows.error(), rows.error().message, app.metrics));
  json::Value trace = json::Value::array();
  int64_t unrouted = 0;
  for (const verify::TracedDecision& d : rows.value()) {
    json::Value rec = trace_record(tenant, d);
    if (rec.is_null()) ++unrouted;
    else trace.push(std::move(rec));
  }
  in.set("trace", std::move(trace));
  auto report = thread_engine().call_value("policy.simulate", in);
  if (!report.ok()) return reply(content_error(report.error()));
  json::Value out = std::move(report.value());
  out.set("tenant", tenant)
      .set("against", against)
      .set("decisions", json::Value::object()
                            .set("read", static_cast<int64_t>(rows->size()))
                            .set("unrouted", unrouted)
                            .set("limit", limit));
  reply(json_answer(out));
}

}  // namespace

std::vector<Route> policy_simulate_routes(App& app) {
  return {{"POST", "/v1/admin/tenants/{tenant}/policies/simulate",
           [&app](Request& req, Reply reply) { post_simulate(app, req, std::move(reply)); }}};
}

}  // namespace flk::server
