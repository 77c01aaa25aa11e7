#include "http/request.h"

#include <map>

namespace flk::server {
namespace {

namespace bhttp = boost::beast::http;

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> parts;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    parts.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

bool match(const CompiledRoute& r, const std::vector<std::string>& parts, std::map<std::string, std::string>* params) {
  if (r.parts.size() != parts.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = r.parts[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (parts[i].empty()) return false;
      (*params)[p.substr(1, p.size() - 2)] = parts[i];
    } else if (p != parts[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void apply_limits(RequestParser& parser, size_t max_body) {
  parser.header_limit(kHeaderLimit);
  parser.body_limit(max_body);
}

Request to_request(RequestMessage&& msg) {
  Request req;
  req.method = std::string(msg.method_string());
  std::string target(msg.target());
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  req.content_type = std::string(msg[bhttp::field::content_type]);
  req.tenant = std::string(msg["X-Tenant-Id"]);
  req.authorization = std::string(msg[bhttp::field::authorization]);
  req.signature = std::string(msg["X-Flk-Signature"]);
  req.body = std::move(msg.body());
  return req;
}

RouteTable::RouteTable(std::vector<Route> routes) {
  for (auto& r : routes) routes_.push_back(CompiledRoute{r.method, r.pattern, split_path(r.pattern), std::move(r.handler)});
}

const CompiledRoute* RouteTable::find(Request& req, std::string* allow) const {
  const auto parts = split_path(req.path);
  allow->clear();
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match(r, parts, &params)) continue;
    if (r.method == req.method) {
      req.params = std::move(params);
      return &r;
    }
    *allow += (allow->empty() ? "" : ", ") + r.method;
  }
  return nullptr;
}

}  // namespace flk::server
