// What handlers see of HTTP: a parsed request, a response, and a reply callback that may be
// called from any thread (the server hands the response back to the connection's strand).
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace flk::server {

struct Request {
  std::string method;
  std::string path;
  std::string query;  // after '?', undecoded
  std::string content_type;
  std::string tenant;         // X-Tenant-Id
  std::string authorization;  // Authorization
  std::string signature;      // X-Flk-Signature
  std::string peer;           // the connection's remote address (what anonymous callers are limited by)
  std::string body;
  std::map<std::string, std::string> params;  // {name} parts of the route pattern
  std::chrono::steady_clock::time_point received;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request&, Reply)>;

struct Route {
  const char* method;
  const char* pattern;  // "/v1/admin/tenants/{tenant}/keys"
  Handler handler;
};

// A typed error body {"error":{"code","message","path"?}} with its status.
Response error_response(int status, const Error& e);
Response error_response(int status, const char* code, const std::string& message);
// The value of a query parameter (percent-decoded), or "" when absent.
std::string query_param(const std::string& query, const std::string& name);

}  // namespace flk::server
