#include "gate/route.h"

#include <algorithm>

#include "crypto/hash.h"

namespace flk::gate {
namespace {

constexpr std::string_view kCallPrefix = "/call/";
constexpr std::string_view kSeparators = ", \t\n\r";

Route refuse(int status, const char* code, std::string message) {
  Route r;
  r.status = status;
  r.code = code;
  r.message = std::move(message);
  return r;
}

Route handle(Handler h, std::string_view op = {}) {
  Route r;
  r.handler = h;
  r.op = std::string(op);
  return r;
}

bool op_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; }

// FLK_OPEN_OPS as a list; an entry "default" stands for default_open_ops(). Empty = nothing open.
std::optional<std::vector<std::string_view>> open_list(std::string_view text, std::string* bad) {
  std::vector<std::string_view> out;
  for (size_t i = text.find_first_not_of(kSeparators); i != std::string_view::npos;
       i = text.find_first_not_of(kSeparators, i)) {
    size_t end = std::min(text.find_first_of(kSeparators, i), text.size());
    std::string_view name = text.substr(i, end - i);
    i = end;
    if (name == "default") {
      out.insert(out.end(), default_open_ops().begin(), default_open_ops().end());
      continue;
    }
    if (!std::all_of(name.begin(), name.end(), op_name_char)) {
      *bad = std::string(name);
      return std::nullopt;
    }
    out.push_back(name);
  }
  return out;
}

// "Bearer <token>" (scheme case-insensitive, RFC 7235) compared with the key in constant time:
// both are hashed first, so neither the key's length nor its bytes show in the timing.
bool carries_key(std::string_view header, std::string_view key) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i)
    if ((header[i] | 0x20) != kScheme[i]) return false;
  std::string_view token = header.substr(kScheme.size());
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  crypto::Digest a = crypto::sha256(token), b = crypto::sha256(key);
  return crypto::equal_ct(a.data(), b.data(), a.size());
}

Route route_call(std::string_view op, const Request& req, const Settings& s) {
  std::string bad;
  auto open = s.open_ops ? open_list(*s.open_ops, &bad) : std::optional(default_open_ops());
  if (!open) return refuse(500, "bad_config", "FLK_OPEN_OPS: \"" + bad + "\" is not an op name");
  if (std::find(open->begin(), open->end(), op) != open->end()) return handle(Handler::kCall, op);
  const std::string what = "op \"" + std::string(op) + "\" is not open to clients without a key";
  if (!s.gate_key || s.gate_key->empty()) return refuse(403, "forbidden", what + ", and this gate has no FLK_GATE_KEY");
  if (s.gate_key->size() < kMinKeyBytes)
    return refuse(500, "bad_config", "FLK_GATE_KEY is shorter than " + std::to_string(kMinKeyBytes) + " bytes");
  if (!req.authorization) return refuse(401, "unauthorized", what + "; send Authorization: Bearer <the gate's key>");
  if (!carries_key(*req.authorization, *s.gate_key))
    return refuse(401, "unauthorized", "the Authorization header does not carry the gate's key");
  return handle(Handler::kCall, op);
}

}  // namespace

const std::vector<std::string_view>& default_open_ops() {
  static const std::vector<std::string_view> ops = {
      "audit.verify",        "crypto.ed25519_verify", "crypto.hmac_sha256",    "crypto.sha256",
      "ensemble.citation_overlap", "ensemble.grounding", "ensemble.host_vote",   "ensemble.micro_vote",
      "ensemble.pcs_recompute", "ensemble.risk",       "ensemble.self_consistency", "ensemble.verify",
      "gate.check_decision", "gate.decide",
      "hrs.features",        "hrs.score",             "json.canonicalize",     "math.elementary",
      "merkle.root",         "ops",                   "pcs.build",             "pcs.canonical_payload",
      "pcs.evaluate",        "pcs.id",                "pcs.verify",            "pcs.verify_signature",
      "routing.decide",      "signals.box_counts",    "signals.budget",        "signals.coherence",
      "signals.compressibility", "signals.dhat",      "signals.regime",        "version",
  };
  return ops;
}

Route route(const Request& req, const Settings& settings) {
  const bool is_call = req.path.substr(0, kCallPrefix.size()) == kCallPrefix;
  if (!is_call && req.path != "/score" && req.path != "/verify" && req.path != "/gate")
    return refuse(404, "not_found", "no route " + std::string(req.path));
  if (req.method != "POST") return refuse(405, "method_not_allowed", std::string(req.path) + " takes POST");
  if (is_call) return route_call(req.path.substr(kCallPrefix.size()), req, settings);
  if (req.path == "/gate") return handle(Handler::kGate);
  return handle(req.path == "/score" ? Handler::kScore : Handler::kVerify);
}

const char* handler_name(Handler h) {
  switch (h) {
    case Handler::kCall: return "call";
    case Handler::kScore: return "score";
    case Handler::kVerify: return "verify";
    case Handler::kGate: return "gate";
    case Handler::kRefuse: break;
  }
  return "refuse";
}

}  // namespace flk::gate
