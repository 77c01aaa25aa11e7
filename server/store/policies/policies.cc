#include "store/policies/policies.h"

namespace flk::server {
namespace policies {

const Area kArea{
    "policies",
    {{1,
      {"CREATE TABLE IF NOT EXISTS policy_versions (tenant TEXT NOT NULL, version BIGINT NOT NULL, kind TEXT NOT NULL, "
       "name TEXT NOT NULL, doc_version BIGINT NOT NULL, hash TEXT NOT NULL, doc TEXT NOT NULL, actor TEXT NOT NULL, "
       "reason TEXT NOT NULL, created_ms BIGINT NOT NULL, reverts BIGINT, PRIMARY KEY (tenant, version))",
       "CREATE TABLE IF NOT EXISTS policy_active (tenant TEXT NOT NULL, kind TEXT NOT NULL, version BIGINT NOT NULL, "
       "previous BIGINT, PRIMARY KEY (tenant, kind))"}}}};

namespace {

constexpr const char* kColumns = "tenant, version, kind, name, doc_version, hash, actor, reason, created_ms, reverts";

PolicyVersion read_row(const Row& r, bool with_doc) {
  PolicyVersion p;
  p.tenant = r.text(0);
  p.version = r.integer(1);
  p.kind = r.text(2);
  p.name = r.text(3);
  p.doc_version = r.integer(4);
  p.hash = r.text(5);
  p.actor = r.text(6);
  p.reason = r.text(7);
  p.created_ms = r.integer(8);
  if (!r.null(9)) p.reverts = r.integer(9);
  if (with_doc) p.doc = r.text(10);
  return p;
}

Result<std::optional<PolicyVersion>> version_in(Tx& tx, const std::string& tenant, int64_t v) {
  std::optional<PolicyVersion> out;
  const std::string sql = std::string("SELECT ") + kColumns + ", doc FROM policy_versions WHERE tenant = ?1 AND version = ?2";
  FLK_TRY(tx.exec(sql.c_str(), {tenant, v}, [&](const Row& r) { out = read_row(r, true); }));
  return out;
}

Status apply_one(Tx& tx, PolicyWrite& p) {
  if (p.only_if_won && !p.only_if_won->won) return Ok{};
  PolicyVersion& v = p.policy;
  // Locked on PostgreSQL: two instances changing one tenant's policy of a kind take turns.
  const char* current_sql =
      tx.dialect() == Dialect::postgres
          ? "SELECT version, previous FROM policy_active WHERE tenant = ?1 AND kind = ?2 FOR UPDATE"
          : "SELECT version, previous FROM policy_active WHERE tenant = ?1 AND kind = ?2";
  std::optional<int64_t> current, previous;
  FLK_TRY(tx.exec(current_sql, {v.tenant, v.kind}, [&](const Row& r) {
    current = r.integer(0);
    if (!r.null(1)) previous = r.integer(1);
  }));
  if (p.revert) {
    if (!previous) {
      p.nothing_to_revert = true;
      return Ok{};
    }
    FLK_ASSIGN(auto restored, version_in(tx, v.tenant, *previous));
    if (!restored) return make_error("store_error", "policy version " + std::to_string(*previous) + " is missing");
    v.name = restored->name;
    v.doc_version = restored->doc_version;
    v.hash = restored->hash;
    v.doc = restored->doc;
    v.reverts = *previous;
  } else if (current) {
    FLK_ASSIGN(auto active_hash,
               tx.text_of("SELECT hash FROM policy_versions WHERE tenant = ?1 AND version = ?2", {v.tenant, *current}));
    if (active_hash && *active_hash == v.hash) {
      v.version = *current;
      return Ok{};
    }
  }
  FLK_ASSIGN(int64_t last, tx.integer_of("SELECT COALESCE(MAX(version), 0) FROM policy_versions WHERE tenant = ?1", {v.tenant}));
  v.version = last + 1;
  FLK_TRY(tx.exec("INSERT INTO policy_versions (tenant, version, kind, name, doc_version, hash, doc, actor, reason, "
                  "created_ms, reverts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                  {v.tenant, v.version, v.kind, v.name, v.doc_version, v.hash, v.doc, v.actor, v.reason, v.created_ms,
                   v.reverts ? Param(*v.reverts) : Param()}));
  FLK_TRY(tx.exec("INSERT INTO policy_active (tenant, kind, version, previous) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
                  "(tenant, kind) DO UPDATE SET version = excluded.version, previous = excluded.previous",
                  {v.tenant, v.kind, v.version, current ? Param(*current) : Param()}));
  if (p.audit) {
    p.audit->data.set("version", v.version).set("kind", v.kind).set("name", v.name).set("hash", v.hash);
    if (v.reverts) p.audit->data.set("reverts", *v.reverts);
  }
  p.won = true;
  return Ok{};
}

Status apply_policies(Tx& tx, const std::vector<Write*>& run) {
  for (Write* w : run) FLK_TRY(apply_one(tx, static_cast<PolicyWrite&>(*w)));
  return Ok{};
}

const WriteType kPolicyType{"policy", false, apply_policies};

}  // namespace

Result<std::vector<PolicyVersion>> active(Store& store, const std::string& tenant) {
  std::vector<PolicyVersion> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string("SELECT ") + "v.tenant, v.version, v.kind, v.name, v.doc_version, v.hash, v.actor, "
                            "v.reason, v.created_ms, v.reverts, v.doc FROM policy_active a JOIN policy_versions v ON "
                            "v.tenant = a.tenant AND v.version = a.version WHERE a.tenant = ?1 ORDER BY a.kind" +
                            tx.binary_order();
    FLK_TRY(tx.exec(sql.c_str(), {tenant}, [&](const Row& r) { out.push_back(read_row(r, true)); }));
    return Ok{};
  }));
  return out;
}

Result<std::vector<PolicyVersion>> history(Store& store, const std::string& tenant, const std::string& kind, int64_t limit) {
  std::vector<PolicyVersion> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    const std::string sql = std::string("SELECT ") + kColumns + " FROM policy_versions WHERE tenant = ?1" +
                            (kind.empty() ? " ORDER BY version DESC LIMIT ?2" : " AND kind = ?3 ORDER BY version DESC LIMIT ?2");
    std::vector<Param> params = {tenant, limit};
    if (!kind.empty()) params.push_back(kind);
    FLK_TRY(tx.exec(sql.c_str(), params, [&](const Row& r) { out.push_back(read_row(r, false)); }));
    return Ok{};
  }));
  return out;
}

Result<std::optional<PolicyVersion>> version(Store& store, const std::string& tenant, int64_t v) {
  std::optional<PolicyVersion> out;
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_ASSIGN(out, version_in(tx, tenant, v));
    return Ok{};
  }));
  return out;
}

}  // namespace policies

const WriteType& PolicyWrite::type() const { return policies::kPolicyType; }

}  // namespace flk::server
