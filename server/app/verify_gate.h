// The verification gate's server side (POST /v1/verify, docs/server.md "Verification gate"): the
// Ed25519 key that signs decisions and each tenant's gate configuration.
//   signing-key  a key file as `flk keygen ed25519 --out FILE` writes it ({"alg":"ed25519",
//                "seed_b64"}); created with mode 0600 on first start when absent (default
//                <data>/verify-signing.key). Keep it: decisions signed before stay checkable
//                only with its public key (GET /v1/verify/key).
//   verify       {"default": config, "tenants": {"<id>": config}}, a config being {"policy"?
//                (ensemble.verify's), "bands"? (routing.decide's), "on_exceeded"? (reject |
//                escalate: what the tenant's budget cap does)}; each is tried once with gate.decide
//                at start, so a bad one fails there rather than on a request.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "crypto/ed25519.h"
#include "json/value.h"
#include "metrics/family.h"
#include "util/result.h"

namespace flk::server {

struct VerifyMetrics {
  VerifyMetrics();
  Family decisions, voter_latency, voter_status, disagreements, labels, label_agreement, arms;
  std::vector<const Family*> families() const {
    return {&decisions, &voter_latency, &voter_status, &disagreements, &labels, &label_agreement, &arms};
  }
};

// The tenant's budget window: its cap and what it has spent (USD).
struct GateSpend {
  double cap_usd = 0, spent_usd = 0;
};
// gate.decide's input: the request's fields with the config's policy and bands, and the budget
// when the tenant has one.
json::Value gate_input(const json::Value& config, json::Value request, const std::optional<GateSpend>& spend);

class VerifyGate {
 public:
  static Result<std::unique_ptr<VerifyGate>> open(const std::string& key_file, const std::string& settings);
  // The tenant's config (the default one when it has none of its own).
  const json::Value& config_of(const std::string& tenant) const;
  const crypto::Seed& seed() const { return seed_; }
  const crypto::PublicKey& public_key() const { return public_key_; }
  VerifyMetrics metrics;

 private:
  crypto::Seed seed_{};
  crypto::PublicKey public_key_{};
  json::Value default_ = json::Value::object();
  std::map<std::string, json::Value> tenants_;
};

}  // namespace flk::server
