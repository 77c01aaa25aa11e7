#include "app/verdict_cache.h"

namespace flk::server {

std::optional<CachedVerdict> VerdictCache::get(const std::string& tenant, const std::string& pcs_id, int64_t now_ms) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = map_.find(key(tenant, pcs_id));
  if (it == map_.end()) return std::nullopt;
  if (it->second.expires_ms <= now_ms) {
    map_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void VerdictCache::put(const std::string& tenant, const std::string& pcs_id, CachedVerdict v) {
  std::lock_guard<std::mutex> l(mu_);
  if (map_.size() >= capacity_) map_.clear();
  map_[key(tenant, pcs_id)] = std::move(v);
}

}  // namespace flk::server
