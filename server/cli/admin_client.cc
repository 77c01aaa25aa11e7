#include "cli/admin_client.h"

#include <httplib.h>

#include <cstdio>
#include <cstdlib>

#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {

std::optional<json::Value> admin_call(const Parsed& flags, const char* who, const std::string& path,
                                      const json::Value* body) {
  std::string token = flags.get("admin-token");
  if (token.empty() && std::getenv("FLK_ADMIN_TOKEN")) token = std::getenv("FLK_ADMIN_TOKEN");
  httplib::Client client(flags.get("server"));
  client.set_connection_timeout(5);
  client.set_read_timeout(60);  // a simulation replays up to 20,000 stored decisions
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = body ? client.Post(path, headers, json::to_string(*body), "application/json") : client.Get(path, headers);
  if (!res) {
    std::fprintf(stderr, "%s: no answer from %s (%s)\n", who, flags.get("server").c_str(), httplib::to_string(res.error()).c_str());
    return std::nullopt;
  }
  auto parsed = json::parse(res->body);
  if (res->status != 200 || !parsed.ok()) {
    std::fprintf(stderr, "%s: HTTP %d %s\n", who, res->status, res->body.c_str());
    return std::nullopt;
  }
  return std::move(parsed.value());
}

std::string tenant_path(const std::string& tenant) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "/v1/admin/tenants/";
  for (unsigned char c : tenant) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                       c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace flk::cli
