// The tenants area: each tenant's rate limit and budget policy (tenants), and its signing keys
// (tenant_keys; rotation = several live keys). Its writes are not independent (store.h): a
// budget set in a batch binds the usage events after it, not those before.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/area.h"
#include "store/store.h"

namespace flk::server {

struct KeyRecord {
  std::string tenant;
  std::string kid;
  std::string alg;       // "hmac" | "ed25519"
  std::string key_json;  // the facade's key object, e.g. {"alg":"hmac","key_text":"..."}
  int64_t not_before_ms = 0;
  std::optional<int64_t> not_after_ms;
};

struct TenantRecord {
  std::string id;
  double rate_per_sec = 0;  // 0: the server's default
  double burst = 0;
  std::string budget_json;  // the tenant's budget policy (cost.budget.check's policy); "" for none
  std::vector<KeyRecord> keys;
};

// Creates or replaces a tenant's settings (won: always).
class TenantWrite final : public Write {
 public:
  const WriteType& type() const override;
  double rate_per_sec = 0, burst = 0;
  std::string budget_json;
};

// Adds a key unless the tenant has one with its kid (won: added).
class KeyWrite final : public Write {
 public:
  const WriteType& type() const override;
  KeyRecord key;
};

// Retires key.kid at key.not_after_ms unless it is retired by then (won: the key existed and was live).
class RetireKeyWrite final : public Write {
 public:
  const WriteType& type() const override;
  KeyRecord key;
};

// A tenant's budget policy as read from the store ("" for none), with a revision: two reads in
// this process have the same revision only if their texts are equal, so a reader that keeps what
// it parsed checks the revision instead of comparing texts. 0: no revision (parse every time).
struct StoredBudget {
  std::string json;
  uint64_t revision = 0;
  bool empty() const { return json.empty(); }
};

namespace tenants {

extern const Area kArea;

Result<std::vector<TenantRecord>> all(Store& store);
// The tenant's budget policy ("" for none or no such tenant), one row read.
Result<StoredBudget> budget(Store& store, const std::string& tenant);
// The tenant's budget policy ("" for none) into *out, its row locked until the transaction ends
// on PostgreSQL, so a budget and the spend decided against it cannot move, whichever instance
// writes. Inside Tx::pipeline, *out is set when the pipeline returns.
Status budget_locked(Tx& tx, const std::string& tenant, StoredBudget* out);

}  // namespace tenants
}  // namespace flk::server
