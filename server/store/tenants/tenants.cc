#include "store/tenants/tenants.h"

#include <map>
#include <mutex>

namespace flk::server {
namespace tenants {

const Area kArea{
    "tenants",
    {{1,
      {"CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, rate_per_sec DOUBLE PRECISION NOT NULL, burst DOUBLE "
       "PRECISION NOT NULL, budget TEXT)",
       "CREATE TABLE IF NOT EXISTS tenant_keys (tenant TEXT NOT NULL, kid TEXT NOT NULL, alg TEXT NOT NULL, key_json "
       "TEXT NOT NULL, not_before_ms BIGINT NOT NULL, not_after_ms BIGINT, PRIMARY KEY (tenant, kid))"}}}};

namespace {

Param optional_text(const std::string& s) { return s.empty() ? Param() : Param(s); }

// The revision of each tenant's last budget text read in this process: the same while the text
// is, a new number (never given before) when it differs. One text comparison per read, where a
// reader's check is a number's.
class BudgetRevisions {
 public:
  uint64_t of(const std::string& tenant, const std::string& text) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = last_.find(tenant);
    if (it != last_.end() && it->second.first == text) return it->second.second;
    if (last_.size() >= 4096) last_.clear();
    last_[tenant] = {text, ++next_};
    return next_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, uint64_t>> last_;
  uint64_t next_ = 0;
};

StoredBudget stored_budget(const std::string& tenant, std::string text) {
  static BudgetRevisions revisions;
  if (text.empty()) return StoredBudget{};
  const uint64_t revision = revisions.of(tenant, text);
  return StoredBudget{std::move(text), revision};
}

Status apply_tenants(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& t = static_cast<TenantWrite&>(*w);
    FLK_TRY(tx.exec("INSERT INTO tenants (id, rate_per_sec, burst, budget) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO "
                    "UPDATE SET rate_per_sec = excluded.rate_per_sec, burst = excluded.burst, budget = excluded.budget",
                    {t.tenant, t.rate_per_sec, t.burst, optional_text(t.budget_json)}));
    t.won = true;
  }
  return Ok{};
}

Status apply_keys(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& k = static_cast<KeyWrite&>(*w);
    FLK_ASSIGN(int64_t n, tx.exec("INSERT INTO tenant_keys (tenant, kid, alg, key_json, not_before_ms, not_after_ms) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant, kid) DO NOTHING",
                                  {k.key.tenant, k.key.kid, k.key.alg, k.key.key_json, k.key.not_before_ms,
                                   k.key.not_after_ms ? Param(*k.key.not_after_ms) : Param()}));
    k.won = n > 0;
  }
  return Ok{};
}

Status apply_retirements(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) {
    auto& k = static_cast<RetireKeyWrite&>(*w);
    FLK_ASSIGN(int64_t n, tx.exec("UPDATE tenant_keys SET not_after_ms = ?3 WHERE tenant = ?1 AND kid = ?2 AND "
                                  "(not_after_ms IS NULL OR not_after_ms > ?3)",
                                  {k.key.tenant, k.key.kid, k.key.not_after_ms.value_or(0)}));
    k.won = n > 0;
  }
  return Ok{};
}

const WriteType kTenantType{"tenant", false, apply_tenants};
const WriteType kKeyType{"key", false, apply_keys};
const WriteType kRetireType{"retire_key", false, apply_retirements};

}  // namespace

Result<std::vector<TenantRecord>> all(Store& store) {
  std::vector<TenantRecord> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string c = tx.binary_order();
    FLK_TRY(tx.exec(("SELECT id, rate_per_sec, burst, budget FROM tenants ORDER BY id" + c).c_str(), {}, [&](const Row& r) {
      out.push_back(TenantRecord{r.text(0), r.real(1), r.real(2), r.null(3) ? "" : r.text(3), {}});
    }));
    const std::string keys = "SELECT tenant, kid, alg, key_json, not_before_ms, not_after_ms FROM tenant_keys ORDER BY "
                             "tenant" + c + ", not_before_ms, kid" + c;
    FLK_TRY(tx.exec(keys.c_str(), {}, [&](const Row& r) {
                      KeyRecord k{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), std::nullopt};
                      if (!r.null(5)) k.not_after_ms = r.integer(5);
                      for (auto& t : out)
                        if (t.id == k.tenant) t.keys.push_back(k);
                    }));
    return Ok{};
  }));
  return out;
}

Result<StoredBudget> budget(Store& store, const std::string& tenant) {
  StoredBudget out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_ASSIGN(auto b, tx.text_of("SELECT budget FROM tenants WHERE id = ?1", {tenant}));
    out = stored_budget(tenant, b.value_or(""));
    return Ok{};
  }));
  return out;
}

Status budget_locked(Tx& tx, const std::string& tenant, StoredBudget* out) {
  const char* sql = tx.dialect() == Dialect::postgres ? "SELECT budget FROM tenants WHERE id = ?1 FOR UPDATE"
                                                      : "SELECT budget FROM tenants WHERE id = ?1";
  *out = StoredBudget{};
  FLK_TRY(tx.exec(sql, {tenant}, [out, tenant](const Row& r) {
    if (!r.null(0)) *out = stored_budget(tenant, r.text(0));
  }));
  return Ok{};
}

}  // namespace tenants

const WriteType& TenantWrite::type() const { return tenants::kTenantType; }
const WriteType& KeyWrite::type() const { return tenants::kKeyType; }
const WriteType& RetireKeyWrite::type() const { return tenants::kRetireType; }

}  // namespace flk::server
