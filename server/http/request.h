// From bytes to a routed Request, the part of the HTTP front end that reads what clients send:
// Boost.Beast's HTTP/1.1 parser with the server's limits, our reading of the parsed message
// (target split into path and query, the headers handlers see) and the route table's match.
// server.cc serves with it; tests/fuzz/fuzz_http_request.cc fuzzes it.
#pragma once
#include <boost/beast/http.hpp>
#include <string>
#include <vector>

#include "http/types.h"

namespace flk::server {

using RequestMessage = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

constexpr size_t kHeaderLimit = 16 * 1024;

void apply_limits(RequestParser& parser, size_t max_body);

// Method, path, query, the headers of types.h and the body (moved out of msg).
Request to_request(RequestMessage&& msg);

struct CompiledRoute {
  std::string method;
  std::string pattern;
  std::vector<std::string> parts;
  Handler handler;
};

class RouteTable {
 public:
  explicit RouteTable(std::vector<Route> routes);
  // The route for req's method and path, with req.params filled from its pattern; nullptr when
  // none matches, and then *allow lists the methods the path has (for a 405), or is empty (404).
  const CompiledRoute* find(Request& req, std::string* allow) const;

 private:
  std::vector<CompiledRoute> routes_;
};

}  // namespace flk::server
