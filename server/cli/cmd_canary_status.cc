// flk canary status --server URL --tenant T [--admin-token TOKEN] [--json]: where a tenant's canary
// rollout stands, read from GET /v1/admin/tenants/{tenant}/canary (the token may come from
// FLK_ADMIN_TOKEN instead). Exit 0 when read, 2 on an error answer or no answer.
#include <cstdio>

#include "cli/admin_client.h"
#include "cli/commands.h"
#include "json/write.h"

namespace flk::cli {
namespace {

void print_summary(const json::Value& r) {
  const json::Value& s = *r.find("state");
  std::printf("rollout  %s (tenant %s)\n", r.find("rollout")->as_string().c_str(), r.find("tenant")->as_string().c_str());
  std::printf("status   %s at %lld %% (step %lld, failed gates %lld)\n", s.find("status")->as_string().c_str(),
              static_cast<long long>(s.find("percent")->as_int()), static_cast<long long>(s.find("step")->as_int()),
              static_cast<long long>(s.find("failed_gates")->as_int()));
  if (const json::Value* o = r.find("observed"))
    std::printf("observed baseline %lld, canary %lld\n", static_cast<long long>(o->find("baseline")->as_int()),
                static_cast<long long>(o->find("canary")->as_int()));
  const auto& gates = r.find("gates")->as_array();
  std::printf("gates    %zu\n", gates.size());
  if (gates.empty()) return;
  const json::Value& last = gates.back();
  std::printf("last     %s\n", last.find("verdict")->as_string().c_str());
  for (const json::Value& m : last.find("metrics")->as_array())
    std::printf("  %-22s %-12s baseline %.4g  canary %.4g  (n %lld / %lld)\n", m.find("name")->as_string().c_str(),
                m.find("verdict")->as_string().c_str(), m.find("mean_baseline")->as_double(), m.find("mean_canary")->as_double(),
                static_cast<long long>(m.find("n_baseline")->as_int()), static_cast<long long>(m.find("n_canary")->as_int()));
}

int status(Engine&, const Parsed& p) {
  auto body = admin_call(p, "flk canary status", tenant_path(p.get("tenant")) + "/canary");
  if (!body) return kExitError;
  if (p.has("json")) std::printf("%s\n", json::to_string(*body).c_str());
  else print_summary(*body);
  return kExitOk;
}

}  // namespace

Spec canary_status_spec() {
  return {"canary status", "", 0, 0, "where a tenant's canary rollout stands, from a running flk-server",
          {Flag{"server", Kind::kString, "URL", "the flk-server"}.need(),
           Flag{"tenant", Kind::kString, "T", "the tenant"}.need(),
           {"admin-token", Kind::kString, "TOKEN", "the admin token (default: $FLK_ADMIN_TOKEN)"},
           {"json", Kind::kSwitch, "", "the server's JSON answer instead of a summary"}},
          status};
}

}  // namespace flk::cli
