// The HTTP routes of the edge gate, for the Fastly Compute program (main.cc). They answer
// exactly like the Cloudflare Worker in wasi/cloudflare/src/worker.mjs (same statuses, same
// body bytes; tests/js/edge.test.mjs compares the two). Which route serves a request, and which
// requests are refused, is the core's gate::route (core/gate/route.h), the gate.route op the
// Worker calls:
//   POST /score      hrs.score, then routing.decide on its probability
//   POST /verify     pcs.verify with the configured key, and its verdict as an action
//   POST /gate       gate.decide (the verification gate of flk-server's POST /v1/verify) with the
//                    configured policy and bands; the decision's status (200, 202, 409)
//   POST /call/<op>  an op by name: the open ones (FLK_OPEN_OPS) for anyone, the rest with the key
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "facade/engine.h"

namespace flk::edge {

constexpr size_t kMaxBodyBytes = 1u << 20;

struct Request {
  std::string_view method;
  std::string_view path;  // without the query
  std::optional<std::string_view> authorization;
  std::string_view body;
  bool body_too_large = false;
};

// The gate's configuration, as JSON text (empty = not set): FLK_BANDS (routing.decide bands;
// default policy when empty), FLK_GATE_POLICY (ensemble.verify's policy for /gate; the
// defaults when empty) and FLK_PCS_KEY (pcs.verify's key; /verify needs it); and as text
// (nullopt = not set) FLK_OPEN_OPS and FLK_GATE_KEY (gate::Settings).
struct Config {
  std::string bands;
  std::string gate_policy;
  std::string pcs_key;
  std::optional<std::string> open_ops;
  std::optional<std::string> gate_key;
};

struct Reply {
  int status = 200;
  std::string body;  // JSON
};

Reply route(Engine& engine, const Request& req, const Config& config);

// The path of an absolute or origin-form request URI: "https://h/a/b?q" -> "/a/b".
std::string_view uri_path(std::string_view uri);

}  // namespace flk::edge
