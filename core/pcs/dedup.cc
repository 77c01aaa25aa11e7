#include "pcs/dedup.h"

namespace flk::pcs {

Result<std::optional<std::string>> MemoryDedupStore::get(const std::string& pcs_id, int64_t now_ms) {
  auto it = entries_.find(pcs_id);
  if (it == entries_.end() || it->second.expires_ms <= now_ms) return std::optional<std::string>();
  return std::optional<std::string>(it->second.value);
}

void MemoryDedupStore::sweep(int64_t now_ms) {
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.expires_ms <= now_ms ? entries_.erase(it) : std::next(it);
}

Result<bool> MemoryDedupStore::put_if_absent(const std::string& pcs_id, const std::string& value, int64_t now_ms,
                                             int64_t ttl_ms) {
  auto it = entries_.find(pcs_id);
  if (it != entries_.end() && it->second.expires_ms > now_ms) return false;
  if (it == entries_.end() && entries_.size() >= capacity_) {
    sweep(now_ms);
    // Evicting a live entry would break first-write-wins, so a full store refuses instead.
    if (entries_.size() >= capacity_)
      return make_error("store_full", "the in-memory dedup store holds " + std::to_string(capacity_) +
                                          " unexpired entries");
  }
  entries_[pcs_id] = Entry{value, now_ms + ttl_ms};
  return true;
}

}  // namespace flk::pcs
