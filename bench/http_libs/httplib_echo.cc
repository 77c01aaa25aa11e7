// The smallest POST handler on cpp-httplib (Debian libcpp-httplib-dev 0.11), for comparing HTTP
// libraries under wrk (scripts/bench-http-libs.sh). Answers {"ok":true,"n":<body bytes>}.
#include <httplib.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 18081;
  httplib::Server s;
  s.set_tcp_nodelay(true);
  s.new_task_queue = [] { return new httplib::ThreadPool(64); };
  s.Post("/x", [](const httplib::Request& q, httplib::Response& r) {
    r.set_content("{\"ok\":true,\"n\":" + std::to_string(q.body.size()) + "}", "application/json");
  });
  s.listen("127.0.0.1", port);
}
