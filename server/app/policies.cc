// Tenants' policy documents in the server (docs/policy.md), one active per kind: the admin
// routes /v1/admin/tenants/{tenant}/policies and the policy directory read at start. A change is
// validated whole by the core (policy.validate) before anything is written, stored as a new
// version with who and why, and audited in the same transaction; history lists the versions;
// revert restores, as a new version, the document the active one of a kind replaced.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "app/facade.h"
#include "app/query_int.h"
#include "app/tenant_access.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "policy/kinds.h"
#include "yaml/parse.h"
#include "store/policies/policies.h"

namespace flk::server {
namespace {

constexpr size_t kMaxActor = 128, kMaxReason = 1024;
constexpr int64_t kMaxHistory = 1000;

json::Value version_json(const PolicyVersion& v) {
  json::Value o = json::Value::object();
  o.set("version", v.version).set("kind", v.kind).set("name", v.name).set("doc_version", v.doc_version).set("hash", v.hash);
  o.set("actor", v.actor).set("reason", v.reason).set("created", rfc3339_ms(v.created_ms));
  if (v.reverts) o.set("reverts", *v.reverts);
  if (!v.doc.empty()) o.set("policy", json::parse(v.doc).value());
  return o;
}

Response answer(int status, const json::Value& v) {
  Response r = json_answer(v);
  r.status = status;
  return r;
}

// Who and why, required on every change: the audit entry is the change's record.
Status who_and_why(json::ObjectReader& r, PolicyVersion* v) {
  FLK_ASSIGN(v->actor, r.string("actor", kMaxActor));
  FLK_ASSIGN(v->reason, r.string("reason", kMaxReason));
  if (v->actor.empty()) return make_error("bad_format", "$.actor names who makes the change", "$.actor");
  if (v->reason.empty()) return make_error("bad_format", "$.reason says why", "$.reason");
  return Ok{};
}

// The core's check of a whole document, and that it names no other tenant; fills what the store
// keeps of it. A document read from YAML is checked as its text (`yaml`), so that an error says
// where in the text it is.
Status checked(const json::Value& doc, const std::string* yaml, PolicyVersion* v) {
  const std::string key = yaml ? "policy_yaml" : "policy";
  json::Value in = json::Value::object();
  if (yaml) in.set(key, *yaml);
  else in.set(key, doc);
  FLK_ASSIGN(json::Value c, thread_engine().call_value("policy.validate", in));
  const json::Value* named = doc.find("metadata")->find("tenant");
  if (named && named->as_string() != v->tenant)
    return make_error("out_of_range", "$." + key + ".metadata.tenant names \"" + named->as_string() + "\", not \"" + v->tenant + "\"",
                      "$." + key + ".metadata.tenant");
  v->kind = c.find("kind")->as_string();
  v->name = c.find("name")->as_string();
  v->doc_version = c.find("version")->as_int();
  v->hash = c.find("hash")->as_string();
  v->doc = json::to_string(doc);
  return Ok{};
}

// The document of a change: `policy` (JSON) or `policy_yaml` (YAML text, read by the core's
// policy.from_yaml into `from_yaml`).
Result<const json::Value*> document(json::ObjectReader& r, json::Value* from_yaml) {
  const json::Value* text = r.optional("policy_yaml");
  if (!text) return r.required("policy");
  if (r.optional("policy")) return make_error("conflicting_fields", "give only one of policy and policy_yaml", "$.policy_yaml");
  json::Value in = json::Value::object();
  in.set("text", *text);
  auto out = thread_engine().call_value("policy.from_yaml", in);
  if (!out.ok()) {
    Error e = out.error();
    e.path = "$.policy_yaml" + e.path.substr(std::string("$.text").size());
    return e;
  }
  *from_yaml = std::move(*out->find("document"));
  return static_cast<const json::Value*>(from_yaml);
}

// Stamps the change and drafts its audit entry (the store adds version, kind, name and hash).
void stamp(PolicyWrite& w, const char* audit_type) {
  PolicyVersion& v = w.policy;
  v.created_ms = now_ms();
  w.tenant = v.tenant;
  w.id = v.kind;
  json::Value data = json::Value::object();
  data.set("actor", v.actor).set("reason", v.reason);
  w.audit = AuditDraft{audit_type, v.tenant, std::move(data), v.created_ms};
}

// Stamps and commits a change, then answers.
void submit(App& app, std::unique_ptr<PolicyWrite> w, const char* audit_type, Reply reply) {
  stamp(*w, audit_type);
  app.batcher->submit(std::move(w), [&app, reply = std::move(reply)](Write& written, const Status& s) {
    if (!s.ok()) return reply(store_failure(s, s.error().message, app.metrics));
    auto& w = static_cast<PolicyWrite&>(written);
    if (w.nothing_to_revert)
      return reply(error_response(409, "nothing_to_revert", "tenant \"" + w.tenant + "\" has no earlier " + w.policy.kind +
                                                                 " to revert to"));
    json::Value o = version_json(w.policy);
    o.set("tenant", w.tenant).set("changed", w.won);
    reply(answer(w.won ? 201 : 200, o));
  });
}

// A kind named in a query or a path is one of the four: another is 422, not an empty history
// or "nothing to revert".
bool known_kind(const std::string& kind, Response* err) {
  for (const char* const* k = policy::kKinds; *k; ++k)
    if (kind == *k) return true;
  *err = error_response(
      422, make_error("out_of_range", "kind is RiskRoutingPolicy, EnsemblePolicy, BudgetPolicy or CanaryPolicy", "kind"));
  return false;
}

// A change by the admin: a new document (put) or a revert of a kind, with who and why, checked
// whole before it is committed.
void change(App& app, Request& req, Reply reply, bool revert) {
  Response err;
  json::Value body;
  if (!authorized(app, req, &err) || !read_body(req, &body, &err)) return reply(std::move(err));
  auto w = std::make_unique<PolicyWrite>();
  w->revert = revert;
  PolicyVersion& v = w->policy;
  v.tenant = req.params["tenant"];
  if (revert) v.kind = req.params["kind"];
  if (revert && !known_kind(v.kind, &err)) return reply(std::move(err));
  if (!existing_tenant(app, v.tenant, &err)) return reply(std::move(err));
  json::Value from_yaml;
  Status s = [&]() -> Status {
    FLK_ASSIGN(auto r, json::ObjectReader::open(body, "$"));
    const json::Value* doc = nullptr;
    if (!revert) {
      FLK_ASSIGN(doc, document(r, &from_yaml));
    }
    FLK_TRY(who_and_why(r, &v));
    FLK_TRY(r.finish());
    const json::Value* yaml = r.optional("policy_yaml");
    return doc ? checked(*doc, yaml ? &yaml->as_string() : nullptr, &v) : Status(Ok{});
  }();
  if (!s.ok()) return reply(content_error(s.error()));
  submit(app, std::move(w), revert ? "policy.reverted" : "policy.updated", std::move(reply));
}

void put_policy(App& app, Request& req, Reply reply) { change(app, req, std::move(reply), false); }
void revert_policy(App& app, Request& req, Reply reply) { change(app, req, std::move(reply), true); }

// The admin's read of a registered tenant's policies with only these query parameters.
bool admin_read(App& app, const Request& req, std::initializer_list<const char*> params, Response* err) {
  return authorized(app, req, err) && known_params(req.query, params, err) && existing_tenant(app, req.params.at("tenant"), err);
}

void reply_versions(App& app, const std::string& tenant, const char* key,
                    const Result<std::vector<PolicyVersion>>& versions, const Reply& reply) {
  if (!versions.ok()) return reply(store_failure(versions.error(), versions.error().message, app.metrics));
  json::Value list = json::Value::array();
  for (const PolicyVersion& v : versions.value()) list.push(version_json(v));
  reply(json_answer(json::Value::object().set("tenant", tenant).set(key, std::move(list))));
}

void get_policies(App& app, Request& req, Reply reply) {
  Response err;
  if (!admin_read(app, req, {}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  reply_versions(app, tenant, "policies", policies::active(*app.store, tenant), reply);
}

void get_history(App& app, Request& req, Reply reply) {
  Response err;
  if (!admin_read(app, req, {"kind", "limit"}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  const std::string kind = query_param(req.query, "kind");
  if (!kind.empty() && !known_kind(kind, &err)) return reply(std::move(err));
  int64_t n = 0;
  if (!int_param(req, "limit", 1, kMaxHistory, 100, &n, &err)) return reply(std::move(err));
  reply_versions(app, tenant, "versions", policies::history(*app.store, tenant, kind, n), reply);
}

void get_version(App& app, Request& req, Reply reply) {
  Response err;
  if (!admin_read(app, req, {}, &err)) return reply(std::move(err));
  const std::string tenant = req.params["tenant"];
  int64_t n = 0;
  if (!int_path_param(req, "version", 1, INT32_MAX, &n, &err)) return reply(std::move(err));
  auto v = policies::version(*app.store, tenant, n);
  if (!v.ok()) return reply(store_failure(v.error(), v.error().message, app.metrics));
  if (!*v) return reply(error_response(404, "unknown_version", "tenant \"" + tenant + "\" has no policy version " + std::to_string(n)));
  reply(json_answer(version_json(**v)));
}

}  // namespace

Status import_policies(App& app) {
  namespace fs = std::filesystem;
  const std::string& dir = app.config.policy_dir;
  if (dir.empty()) return Ok{};
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it.depth() == 1 && it->is_regular_file() && (it->path().extension() == ".json" || yaml::is_yaml_name(it->path().string())))
      files.push_back(it->path());
  if (ec) return make_error("bad_config", "policy-dir " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  // Every file is checked before any is written: a bad file stops the start with nothing applied.
  std::vector<std::unique_ptr<PolicyWrite>> writes;
  auto snap = app.tenants->snapshot();
  for (const fs::path& f : files) {
    const std::string name = fs::relative(f, dir).generic_string(), tenant = f.parent_path().filename().string();
    if (!snap->count(tenant)) return make_error("bad_config", "policy-dir " + name + ": no tenant \"" + tenant + "\"");
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto w = std::make_unique<PolicyWrite>();
    PolicyVersion& v = w->policy;
    v.tenant = tenant;
    v.actor = "policy-dir";
    v.reason = "file " + name;
    Status s = [&]() -> Status {
      const std::string body = text.str();
      FLK_ASSIGN(json::Value doc, yaml::parse_by_name(name, body));
      return checked(doc, yaml::is_yaml_name(name) ? &body : nullptr, &v);
    }();
    if (!s.ok()) {  // the file is the document: its paths lose the op's $.policy or $.policy_yaml step
      Error e = rebase_error(rebase_error(s.error(), "$.policy", "$"), "$.policy_yaml", "$");
      e.message = "policy-dir " + name + ": " + e.message;
      return e;
    }
    stamp(*w, "policy.updated");
    writes.push_back(std::move(w));
  }
  if (writes.empty()) return Ok{};
  std::vector<Write*> batch;
  for (auto& w : writes) batch.push_back(w.get());
  return app.store->apply(batch, facade_audit_linker());
}

std::vector<Route> policy_routes(App& app) {
  auto bind = [&app](void (*f)(App&, Request&, Reply)) {
    return [&app, f](Request& req, Reply reply) { f(app, req, std::move(reply)); };
  };
  return {
      {"GET", "/v1/admin/tenants/{tenant}/policies", bind(get_policies)},
      {"PUT", "/v1/admin/tenants/{tenant}/policies", bind(put_policy)},
      {"GET", "/v1/admin/tenants/{tenant}/policies/history", bind(get_history)},
      {"GET", "/v1/admin/tenants/{tenant}/policies/versions/{version}", bind(get_version)},
      {"POST", "/v1/admin/tenants/{tenant}/policies/{kind}/revert", bind(revert_policy)},
  };
}

}  // namespace flk::server
