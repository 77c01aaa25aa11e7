// The HTTP request path of flk-server (server/http/request.h): Boost.Beast's parser with the
// server's limits, our conversion of the parsed message to a Request, the route table's match
// and query parameters. The input is what a client sends on one connection: requests are parsed
// one after another, as keep-alive does. Properties: no crash; a routed request's path has no
// query and every {param} the pattern binds is a non-empty path segment.
#include <boost/asio/buffer.hpp>
#include <string_view>

#include "check.h"
#include "http/request.h"

namespace {

using namespace flk::server;

RouteTable make_table() {
  // The shapes of the server's routes (server/app/*routes.cc): fixed, one and two parameters,
  // the same path under several methods.
  const char* const kRoutes[][2] = {
      {"GET", "/healthz"}, {"GET", "/v1/budget/{tenant}"}, {"POST", "/v1/pcs/submit"},
      {"PUT", "/v1/admin/tenants/{tenant}"}, {"GET", "/v1/admin/tenants/{tenant}/anomaly/model"},
      {"PUT", "/v1/admin/tenants/{tenant}/anomaly/model"}, {"POST", "/v1/admin/tenants/{tenant}/keys/{kid}/retire"},
  };
  std::vector<Route> routes;
  for (const auto& r : kRoutes) routes.push_back(Route{r[0], r[1], [](Request&, Reply) {}});
  return RouteTable(std::move(routes));
}

void check_routed(Request& req, const RouteTable& table) {
  FUZZ_CHECK(req.path.find('?') == std::string::npos);
  std::string allow;
  const CompiledRoute* found = table.find(req, &allow);
  if (!found) return;
  FUZZ_CHECK(found->method == req.method);
  for (const auto& [name, value] : req.params) FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
  (void)query_param(req.query, "tenant");
  (void)query_param(req.query, "from");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const RouteTable table = make_table();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int n = 0; n < 8 && !rest.empty(); ++n) {
    RequestParser parser;
    apply_limits(parser, 4096);  // small, so inputs reach the body limit
    parser.eager(true);
    // As Beast's own reads call it: again while it makes progress, but after need_more only with
    // more bytes than before (its chunk parser asserts that), and the input has no more.
    boost::beast::error_code ec;
    while (!rest.empty() && !parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec || used == 0) break;
    }
    if (!parser.is_done()) return 0;  // malformed or incomplete: the server answers 400/408
    Request req = to_request(parser.release());
    check_routed(req, table);
  }
  return 0;
}
