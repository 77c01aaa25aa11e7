#include "app/tenant_access.h"

#include <cstdlib>

#include "app/facade.h"
#include "json/write.h"

namespace flk::server {
namespace {

// The admin's access: the tenant must exist (404 otherwise); then its rate.
std::shared_ptr<const Tenant> admin_access(App& app, const Request& req, const std::string& tenant_id, Response* err) {
  if (!authorized(app, req, err)) return nullptr;
  auto t = existing_tenant(app, tenant_id, err);
  return t && app.pipeline->admit(*t, err) ? t : nullptr;
}

// "YYYY-MM-DD" → epoch ms of its start (UTC).
std::optional<int64_t> parse_day(const std::string& s) {
  if (s.size() != 10) return std::nullopt;
  return parse_rfc3339_ms(s + "T00:00:00Z");
}

}  // namespace

Response json_answer(const json::Value& v) {
  Response r;
  r.body = json::to_string(v);
  return r;
}

bool known_params(const std::string& query, std::initializer_list<const char*> allowed, Response* err) {
  size_t i = 0;
  while (i < query.size()) {
    size_t end = query.find('&', i);
    if (end == std::string::npos) end = query.size();
    const std::string name = query.substr(i, std::min(query.find('=', i), end) - i);
    i = end + 1;
    if (name.empty()) continue;
    bool ok = false;
    for (const char* a : allowed) ok = ok || name == a;
    if (!ok) {
      *err = error_response(422, make_error("unknown_parameter", "unknown query parameter \"" + name.substr(0, 64) + "\"",
                                            name.substr(0, 64)));
      return false;
    }
  }
  return true;
}

std::shared_ptr<const Tenant> reader(App& app, const Request& req, const std::string& tenant_id, Response* err) {
  if (!req.authorization.empty()) return admin_access(app, req, tenant_id, err);
  const std::string ts = query_param(req.query, "ts");
  char* end = nullptr;
  const long long at = ts.empty() ? 0 : std::strtoll(ts.c_str(), &end, 10);
  const int64_t now = now_ms();
  if (ts.empty() || *end || at < 0 || std::llabs(now - at) > kSkewMs) {
    *err = error_response(401, make_error("unauthorized",
                                          "sign the request with a key of the tenant (X-Flk-Signature over \"<METHOD> "
                                          "<path>?<query>\", the query holding ts=<epoch ms> within 300 s of now) "
                                          "or send the admin token",
                                          "ts"));
    return nullptr;
  }
  auto t = app.pipeline->signer(tenant_id, req.method + " " + req.path + "?" + req.query, req.signature, now,
                                "\"<METHOD> <path>?<query>\"", err);
  return t && app.pipeline->admit(*t, err) ? t : nullptr;
}

std::shared_ptr<const Tenant> uploader(App& app, const Request& req, const std::string& tenant_id, Response* err) {
  if (!req.authorization.empty()) return admin_access(app, req, tenant_id, err);
  auto t = app.pipeline->signer(tenant_id, req.body, req.signature, now_ms(), "the body", err);
  return t && app.pipeline->admit(*t, err) ? t : nullptr;
}

bool day_range(const Request& req, int64_t max_days, int64_t* from_ms, int64_t* to_ms, Response* err) {
  auto from = parse_day(query_param(req.query, "from")), to = parse_day(query_param(req.query, "to"));
  if (!from || !to) {
    *err = error_response(422, make_error("bad_format", "from and to are required days (YYYY-MM-DD; to excluded)",
                                          from ? "to" : "from"));
    return false;
  }
  if (*to <= *from || *to - *from > max_days * 86400000LL) {
    *err = error_response(422, make_error("out_of_range", "to must be after from, by at most " + std::to_string(max_days) +
                                                              " days", "to"));
    return false;
  }
  *from_ms = *from;
  *to_ms = *to;
  return true;
}

}  // namespace flk::server
