// Tenants as the request path sees them: an immutable snapshot (swapped whole on reload, so
// readers never lock) of each tenant's live keys and rate limit, and one token bucket per
// tenant that survives reloads. A tenant only ever verifies with its own keys.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "json/value.h"
#include "store/tenants/tenants.h"

namespace flk::server {

struct TokenBucket {
  std::mutex mu;
  double tokens = -1;  // < 0: not started (full)
  int64_t last_ns = 0;
};

struct TenantKey {
  std::string kid;
  json::Value key;  // the facade's key object
  int64_t not_before_ms = 0;
  std::optional<int64_t> not_after_ms;
  bool live_at(int64_t ms) const { return not_before_ms <= ms && (!not_after_ms || ms < *not_after_ms); }
};

struct Tenant {
  std::string id;
  double rate = 0, burst = 0;  // effective values
  std::vector<TenantKey> keys;
  TokenBucket* bucket = nullptr;
};

class TenantDirectory {
 public:
  using Snapshot = std::unordered_map<std::string, Tenant>;
  TenantDirectory(double default_rate, double default_burst) : rate_(default_rate), burst_(default_burst) {}

  // Replaces the snapshot; keys whose JSON does not parse are skipped (and returned as warnings).
  std::vector<std::string> load(const std::vector<TenantRecord>& records);
  std::shared_ptr<const Snapshot> snapshot() const { return std::atomic_load(&snap_); }
  // Takes a token; false (and the seconds until one is there) when the tenant is over its rate.
  bool allow(const Tenant& t, int64_t now_ns, double* retry_after_s) const;
  // The same for an unauthenticated caller, by its peer address, at the default rate and burst:
  // what no request header can move onto a tenant. At most kMaxPeers addresses are tracked.
  bool allow_peer(const std::string& peer, int64_t now_ns, double* retry_after_s);
  static constexpr size_t kMaxPeers = 65536;

 private:
  double rate_, burst_;
  std::mutex peers_mu_;
  std::unordered_map<std::string, TokenBucket> peers_;
  std::shared_ptr<const Snapshot> snap_ = std::make_shared<Snapshot>();
  std::mutex buckets_mu_;
  std::unordered_map<std::string, std::unique_ptr<TokenBucket>> buckets_;
};

// Tenants to import at start: a JSON file {"tenants":[{"id","rate_per_sec"?,"burst"?,"budget"?,"keys":[{"kid",
// "key":{...},"not_before"?,"not_after"?}]}]} and/or "id:alg:key,…" text. Keys are checked with
// the facade. Kids of the text form are derived from the key material so re-imports are no-ops.
Result<std::vector<TenantRecord>> parse_tenants_json(const std::string& text);
Result<std::vector<TenantRecord>> parse_tenants_text(const std::string& text);
// Checks a key object the way pcs.verify_signature reads it; errors carry paths under base_path.
Status check_key(const json::Value& key, const std::string& base_path);
// The one rule for tenant ids (and key ids, usage event ids and anomaly series names, which
// share it): 1 to 128 characters from A-Z a-z 0-9 - _ . that do not start with a dot, so "."
// and ".." (path segments) and hidden-file names are never ids.
bool is_tenant_id(const std::string& id);
// The rule in words, for error messages.
extern const char* const kTenantIdRule;

}  // namespace flk::server
