#include "tenants/directory.h"

#include <cmath>

#include "app/budget.h"
#include "app/facade.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

// A well-formed PCS (the spec's golden case 1) to run pcs.verify_signature on when checking
// that a key object is one the facade accepts.
const json::Value& sample_pcs() {
  static const json::Value v = json::parse(
      R"({"pcs_id":"c50bb25a7aff94164147b73c846f0e5e10890d75df204875ca70c448f52c6edf","schema":"fractal-lba-kakeya",)"
      R"("version":"0.1","shard_id":"test-shard-001","epoch":1,"attempt":1,"sent_at":"2025-01-19T12:00:00Z","seed":42,)"
      R"("scales":[2,4,8,16],"N_j":{"2":5,"4":10,"8":13,"16":15},"coh_star":0.066666667,)"
      R"("v_star":[0.6000020458127243,-0.16701530057610703,0.7823703946303298],"D_hat":0.528320834,"r":0.318421053,)"
      R"("regime":"mixed","budget":0.317807017,)"
      R"("merkle_root":"e966b52c992aefad3c3d0196db02554f30d10d55e8a6e5e3038f88e79e414112",)"
      R"("sig":"x5KLRpKb75Oy1oxLA+3V+bgY/HL/3ZYOk1rw3pCiSm4=",)"
      R"("ft":{"outbox_seq":0,"degraded":false,"fallbacks":[],"clock_skew_ms":0}})")
                                 .value();
  return v;
}

json::Value key_object(const std::string& alg, const std::string& material) {
  json::Value k = json::Value::object();
  k.set("alg", alg).set(alg == "hmac" ? "key_text" : "public_key_b64", material);
  return k;
}

}  // namespace

const char* const kTenantIdRule = "1 to 128 characters from A-Z a-z 0-9 - _ . not starting with a dot";

bool is_tenant_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || id[0] == '.') return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

Status check_key(const json::Value& key, const std::string& base_path) {
  json::Value in = json::Value::object();
  in.set("pcs", sample_pcs()).set("key", key);
  auto r = thread_engine().call_value("pcs.verify_signature", in);
  if (r.ok()) return Ok{};
  const Error& e = r.error();
  if (e.path.rfind("$.key", 0) == 0) return rebase_error(e, "$.key", base_path);
  return make_error("internal", "checking the key failed: " + e.message);
}

std::vector<std::string> TenantDirectory::load(const std::vector<TenantRecord>& records) {
  std::vector<std::string> warnings;
  auto snap = std::make_shared<Snapshot>();
  std::lock_guard<std::mutex> l(buckets_mu_);
  for (const TenantRecord& r : records) {
    Tenant t;
    t.id = r.id;
    t.rate = r.rate_per_sec > 0 ? r.rate_per_sec : rate_;
    t.burst = r.burst > 0 ? r.burst : (r.rate_per_sec > 0 ? 2 * r.rate_per_sec : (burst_ > 0 ? burst_ : 2 * rate_));
    for (const KeyRecord& k : r.keys) {
      auto v = json::parse(k.key_json);
      if (!v.ok()) {
        warnings.push_back("tenant " + r.id + " key " + k.kid + ": stored key is not JSON");
        continue;
      }
      t.keys.push_back(TenantKey{k.kid, std::move(v.value()), k.not_before_ms, k.not_after_ms});
    }
    auto& b = buckets_[r.id];
    if (!b) b = std::make_unique<TokenBucket>();
    t.bucket = b.get();
    snap->emplace(r.id, std::move(t));
  }
  std::atomic_store(&snap_, std::shared_ptr<const Snapshot>(std::move(snap)));
  return warnings;
}

namespace {

// Refills the bucket for the time since its last use; the caller holds its lock.
void refill(TokenBucket& b, double rate, double burst, int64_t now_ns) {
  b.tokens = b.tokens < 0 ? burst : std::min(burst, b.tokens + static_cast<double>(now_ns - b.last_ns) * 1e-9 * rate);
  b.last_ns = now_ns;
}

bool take_token(TokenBucket& b, double rate, double burst, int64_t now_ns, double* retry_after_s) {
  refill(b, rate, burst, now_ns);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  *retry_after_s = rate > 0 ? (1 - b.tokens) / rate : 60;
  return false;
}

}  // namespace

bool TenantDirectory::allow(const Tenant& t, int64_t now_ns, double* retry_after_s) const {
  std::lock_guard<std::mutex> l(t.bucket->mu);
  return take_token(*t.bucket, t.rate, t.burst, now_ns, retry_after_s);
}

bool TenantDirectory::allow_peer(const std::string& peer, int64_t now_ns, double* retry_after_s) {
  const double burst = burst_ > 0 ? burst_ : 2 * rate_;
  std::lock_guard<std::mutex> l(peers_mu_);
  if (peers_.size() >= kMaxPeers && !peers_.count(peer)) {
    // Full buckets say nothing a new bucket would not: drop them, and everything if none is.
    for (auto it = peers_.begin(); it != peers_.end();) {
      refill(it->second, rate_, burst, now_ns);
      it = it->second.tokens >= burst ? peers_.erase(it) : std::next(it);
    }
    if (peers_.size() >= kMaxPeers) peers_.clear();
  }
  return take_token(peers_[peer], rate_, burst, now_ns, retry_after_s);
}

Result<std::vector<TenantRecord>> parse_tenants_json(const std::string& text) {
  FLK_ASSIGN(json::Value v, json::parse(text));
  FLK_ASSIGN(auto top, json::ObjectReader::open(v, "$"));
  FLK_ASSIGN(const json::Value* list, top.required("tenants"));
  FLK_TRY(top.finish());
  if (!list->is_array()) return json::wrong_type("$.tenants", "an array", *list);
  std::vector<TenantRecord> out;
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    const std::string path = json::index_path("$.tenants", i);
    FLK_ASSIGN(auto r, json::ObjectReader::open(list->as_array()[i], path));
    TenantRecord t;
    FLK_ASSIGN(t.id, r.string("id", 128));
    if (!is_tenant_id(t.id)) return make_error("bad_format", std::string("tenant ids are ") + kTenantIdRule, r.path_of("id"));
    FLK_ASSIGN(auto rate, r.opt_number("rate_per_sec", {0, 1e9}));
    FLK_ASSIGN(auto burst, r.opt_number("burst", {0, 1e9}));
    t.rate_per_sec = rate.value_or(0);
    t.burst = burst.value_or(0);
    if (const json::Value* budget = r.optional("budget")) {
      FLK_ASSIGN(t.budget_json, check_budget(*budget, r.path_of("budget")));
    }
    if (const json::Value* keys = r.optional("keys")) {
      if (!keys->is_array()) return json::wrong_type(r.path_of("keys"), "an array", *keys);
      for (size_t j = 0; j < keys->as_array().size(); ++j) {
        const std::string kp = json::index_path(r.path_of("keys"), j);
        FLK_ASSIGN(auto kr, json::ObjectReader::open(keys->as_array()[j], kp));
        KeyRecord k;
        k.tenant = t.id;
        FLK_ASSIGN(k.kid, kr.string("kid", 128));
        if (!is_tenant_id(k.kid)) return make_error("bad_format", std::string("key ids are ") + kTenantIdRule, kr.path_of("kid"));
        FLK_ASSIGN(const json::Value* key, kr.required("key"));
        FLK_TRY(check_key(*key, kr.path_of("key")));
        k.alg = key->find("alg")->as_string();
        k.key_json = json::to_string(*key);
        for (const char* field : {"not_before", "not_after"}) {
          FLK_ASSIGN(auto when, kr.opt_string(field, 64));
          if (!when) continue;
          auto ms = parse_rfc3339_ms(*when);
          if (!ms) return make_error("bad_format", kr.path_of(field) + " must be an RFC 3339 timestamp", kr.path_of(field));
          if (std::string(field) == "not_before") k.not_before_ms = *ms;
          else k.not_after_ms = *ms;
        }
        FLK_TRY(kr.finish());
        t.keys.push_back(std::move(k));
      }
    }
    FLK_TRY(r.finish());
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<TenantRecord>> parse_tenants_text(const std::string& text) {
  std::vector<TenantRecord> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(',', i);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(i, end - i);
    i = end + 1;
    if (item.empty()) continue;
    size_t a = item.find(':'), b = a == std::string::npos ? a : item.find(':', a + 1);
    if (b == std::string::npos) return make_error("bad_config", "tenant \"" + item + "\" is not id:alg:key");
    TenantRecord t;
    t.id = item.substr(0, a);
    const std::string alg = item.substr(a + 1, b - a - 1), material = item.substr(b + 1);
    if (!is_tenant_id(t.id)) return make_error("bad_config", "tenant id \"" + t.id.substr(0, 128) + "\" is not " + kTenantIdRule);
    if (alg != "hmac" && alg != "ed25519") return make_error("bad_config", "tenant " + t.id + ": alg must be hmac or ed25519");
    json::Value key = key_object(alg, material);
    Status ok = check_key(key, "$.key");
    if (!ok.ok()) return make_error("bad_config", "tenant " + t.id + ": " + ok.error().message);
    json::Value h = json::Value::object();
    h.set("data_text", alg + ":" + material);
    auto digest = thread_engine().call_value("crypto.sha256", h);
    if (!digest.ok()) return digest.error();
    KeyRecord k;
    k.tenant = t.id;
    k.kid = "k-" + digest->find("digest_hex")->as_string().substr(0, 12);
    k.alg = alg;
    k.key_json = json::to_string(key);
    t.keys.push_back(std::move(k));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace flk::server
