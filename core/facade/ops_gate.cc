// The edge gate's routing decision as an op (core/gate/route.h), so the Cloudflare Worker in
// JavaScript and the Fastly program in C++ ask the same code which handler serves a request.
#include "facade/registry.h"
#include "gate/route.h"
#include "json/fields.h"

namespace flk {
namespace {

constexpr size_t kMaxPathBytes = 8192;
constexpr size_t kMaxSettingBytes = 65536;

Result<json::Value> op_route(Engine&, const json::Value& in) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(in, "$"));
  FLK_ASSIGN(std::string method, r.string("method", 32));
  FLK_ASSIGN(std::string path, r.string("path", kMaxPathBytes));
  FLK_ASSIGN(auto authorization, r.opt_string("authorization", kMaxSettingBytes));
  FLK_ASSIGN(auto open_ops, r.opt_string("open_ops", kMaxSettingBytes));
  FLK_ASSIGN(auto gate_key, r.opt_string("gate_key", kMaxSettingBytes));
  FLK_TRY(r.finish());
  gate::Request req{method, path, authorization ? std::optional<std::string_view>(*authorization) : std::nullopt};
  gate::Settings settings;
  if (open_ops) settings.open_ops = *open_ops;
  if (gate_key) settings.gate_key = *gate_key;
  gate::Route route = gate::route(req, settings);
  json::Value out = json::Value::object();
  out.set("handler", gate::handler_name(route.handler));
  if (route.handler == gate::Handler::kCall) out.set("op", route.op);
  if (route.handler == gate::Handler::kRefuse)
    out.set("status", static_cast<int64_t>(route.status)).set("code", route.code).set("message", route.message);
  return out;
}

}  // namespace

void add_gate_ops(std::vector<OpSpec>& t) {
  t.push_back({"gate.route",
               "The edge gate's routing decision: the handler for a request (POST /score, /verify, /gate, /call/<op>), "
               "or the refusal; ops off the open list (FLK_OPEN_OPS) need the gate's key.",
               "{ method: string; path: string; authorization?: string; open_ops?: string; gate_key?: string }",
               "{ handler: 'call'; op: string } | { handler: 'score' | 'verify' | 'gate' } | { handler: 'refuse'; status: "
               "401 | 403 | 404 | 405 | 500; code: 'unauthorized' | 'forbidden' | 'not_found' | 'method_not_allowed' "
               "| 'bad_config'; message: string }",
               op_route});
}

}  // namespace flk
