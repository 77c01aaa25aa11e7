// The HTTP routes of the edge gate, for the Fastly Compute program (main.cc). They answer
// exactly like the Cloudflare Worker in wasi/cloudflare/src/worker.mjs (same statuses, same
// body bytes; tests/js/fastly.test.mjs compares the two):
//   POST /score      hrs.score, then routing.decide on its probability (default bands)
//   POST /verify     pcs.verify, and its verdict as an action
//   POST /call/<op>  any op by name
#pragma once
#include <string>
#include <string_view>

#include "facade/engine.h"

namespace flk::edge {

constexpr size_t kMaxBodyBytes = 1u << 20;

struct Request {
  std::string_view method;
  std::string_view path;  // without the query
  std::string_view body;
  bool body_too_large = false;
};

struct Reply {
  int status = 200;
  std::string body;  // JSON
};

Reply route(Engine& engine, const Request& req);

// The path of an absolute or origin-form request URI: "https://h/a/b?q" -> "/a/b".
std::string_view uri_path(std::string_view uri);

}  // namespace flk::edge
