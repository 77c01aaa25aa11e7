// flk canary status --server URL --tenant T [--admin-token TOKEN] [--json]: where a tenant's canary
// rollout stands, read from GET /v1/admin/tenants/{tenant}/canary (the token may come from
// FLK_ADMIN_TOKEN instead). Exit 0 when read, 2 on an error answer or no answer.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "json/parse.h"
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

}  // namespace

int cmd_canary_status(Engine&, const Args& args) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
  std::string error;
  if (!parse_flags(args, {"server", "tenant", "admin-token", "json"}, flags, positional, error)) return usage_error(error);
  if (!positional.empty() || !flags.count("server") || !flags.count("tenant"))
    return usage_error("flk canary status --server URL --tenant T [--admin-token TOKEN] [--json]");
  std::string token = flags.count("admin-token") ? flags["admin-token"] : "";
  if (token.empty() && std::getenv("FLK_ADMIN_TOKEN")) token = std::getenv("FLK_ADMIN_TOKEN");
  httplib::Client client(flags["server"]);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = client.Get("/v1/admin/tenants/" + flags["tenant"] + "/canary", headers);
  if (!res) {
    std::fprintf(stderr, "flk canary status: no answer from %s (%s)\n", flags["server"].c_str(), httplib::to_string(res.error()).c_str());
    return 2;
  }
  auto body = json::parse(res->body);
  if (res->status != 200 || !body.ok()) {
    std::fprintf(stderr, "flk canary status: HTTP %d %s\n", res->status, res->body.c_str());
    return 2;
  }
  if (flags.count("json")) std::printf("%s\n", json::to_string(body.value()).c_str());
  else print_summary(body.value());
  return 0;
}

}  // namespace flk::cli
