// The HTTP/1.1 front end (Boost.Beast on Asio): keep-alive connections served by a few threads,
// a route table of handlers, and the limits that keep bad clients from hurting anyone else:
// a body limit (413, checked from Content-Length before the body is read), a deadline for a
// whole request (408 and close: slow clients), malformed HTTP (400 and close), and a graceful
// drain that stops accepting, finishes in-flight requests and closes idle connections. Open
// connections are capped below the descriptor limit (accepting pauses at the cap), and accept
// errors such as EMFILE back off instead of spinning.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/types.h"
#include "metrics/metrics.h"
#include "util/result.h"

namespace flk::server {

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  size_t max_body = 1u << 20;
  std::chrono::seconds read_timeout{10};
  bool access_log = false;
  size_t max_connections = 0;  // 0: derived from RLIMIT_NOFILE (default_max_connections)
};

// The connection cap for a descriptor limit: the limit less a reserve for the WAL, the store,
// logs and the server's own descriptors (a quarter of the limit, at least 32).
size_t default_max_connections(uint64_t nofile_limit);

class HttpServer {
 public:
  HttpServer(HttpOptions options, std::vector<Route> routes, Metrics& metrics);
  ~HttpServer();
  // Binds and starts the worker threads; returns the bound port.
  Result<uint16_t> start();
  // Stops accepting, waits up to timeout for in-flight requests, then stops the threads.
  // Returns the number of requests still in flight when it gave up (0 after a clean drain).
  size_t drain(std::chrono::seconds timeout);
  size_t in_flight() const;
  size_t connections() const;
  size_t max_connections() const;
  // Runs f on one of the server's threads.
  void post(std::function<void()> f);
  bool draining() const;

  struct Impl;  // Boost.Beast stays inside server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace flk::server
