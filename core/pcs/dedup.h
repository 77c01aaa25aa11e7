// Deduplication of verification results by pcs_id (spec §6): first write wins, entries expire
// after a TTL and then read as absent. Time is passed in (milliseconds since the epoch) so the
// core stays deterministic; persistent stores implement the same interface in the server.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <map>

#include "util/result.h"

namespace flk::pcs {

constexpr int64_t kDefaultDedupTtlMs = 14LL * 24 * 3600 * 1000;

class DedupStore {
 public:
  virtual ~DedupStore() = default;
  virtual Result<std::optional<std::string>> get(const std::string& pcs_id, int64_t now_ms) = 0;
  // Stores value unless an unexpired entry exists; returns whether this call wrote it.
  virtual Result<bool> put_if_absent(const std::string& pcs_id, const std::string& value, int64_t now_ms,
                                     int64_t ttl_ms) = 0;
};

class MemoryDedupStore final : public DedupStore {
 public:
  explicit MemoryDedupStore(size_t capacity = 1u << 20) : capacity_(capacity) {}
  Result<std::optional<std::string>> get(const std::string& pcs_id, int64_t now_ms) override;
  Result<bool> put_if_absent(const std::string& pcs_id, const std::string& value, int64_t now_ms,
                             int64_t ttl_ms) override;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string value;
    int64_t expires_ms;
  };
  void sweep(int64_t now_ms);
  size_t capacity_;
  std::map<std::string, Entry> entries_;
};

}  // namespace flk::pcs
