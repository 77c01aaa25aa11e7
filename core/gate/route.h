// The edge gate's routing decision (wasi/cloudflare and wasi/fastly): which handler serves a
// request, or why it is refused. It lives in the core so both hosts decide identically; they
// only read the request and their settings and then run the handler this returns.
//   POST /score, POST /verify,       open to every client
//   POST /gate                       (/gate: the verification gate, gate.decide)
//   POST /call/<op>                  open when <op> is on the open list (FLK_OPEN_OPS, default
//                                    below); any other op needs "Authorization: Bearer <FLK_GATE_KEY>"
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flk::gate {

enum class Handler { kCall, kScore, kVerify, kGate, kRefuse };

struct Request {
  std::string_view method;
  std::string_view path;                        // without the query
  std::optional<std::string_view> authorization;  // the Authorization header, if sent
};

// The hosts' settings as text; nullopt = not set.
struct Settings {
  std::optional<std::string_view> open_ops;  // FLK_OPEN_OPS: op names separated by commas or spaces; "default" = the list below
  std::optional<std::string_view> gate_key;  // FLK_GATE_KEY: the token keyed clients send
};

struct Route {
  Handler handler = Handler::kRefuse;
  std::string op;       // kCall: the op to call
  int status = 200;     // kRefuse: the HTTP status, error code and message to answer with
  std::string code;
  std::string message;
};

constexpr size_t kMinKeyBytes = 16;

// Ops that read nothing but their input (no catalog, ledger, model registry, A/B setting or
// dedup store is written), so anonymous clients cannot change what later clients get.
const std::vector<std::string_view>& default_open_ops();

Route route(const Request& req, const Settings& settings);

const char* handler_name(Handler h);

}  // namespace flk::gate
