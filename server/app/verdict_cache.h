// The verdicts this instance has seen committed, by (tenant, pcs_id), so a repeated
// submission is answered without a store round trip. Only store-confirmed winners go in, and
// a winner never changes until it expires, so the cache is never wrong, only incomplete.
// Bounded: when full it is emptied (the store stays the source of truth).
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace flk::server {

struct CachedVerdict {
  int status = 0;
  std::string body;
  int64_t expires_ms = 0;
};

class VerdictCache {
 public:
  explicit VerdictCache(size_t capacity) : capacity_(capacity) {}
  std::optional<CachedVerdict> get(const std::string& tenant, const std::string& pcs_id, int64_t now_ms);
  void put(const std::string& tenant, const std::string& pcs_id, CachedVerdict v);

 private:
  static std::string key(const std::string& tenant, const std::string& pcs_id) { return tenant + '\n' + pcs_id; }
  size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, CachedVerdict> map_;
};

}  // namespace flk::server
