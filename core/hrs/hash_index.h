// An open-addressing map from 64-bit hashes to dense indices 0..n-1, for the per-request token
// tables of the feature extractor (a few hundred keys, looked up once per context token).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace flk::hrs {

class HashIndex {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFFu;

  // Room for at least `expected` keys at load factor <= 1/2.
  explicit HashIndex(size_t expected = 16) { reset(expected); }
  // Empties the index, sized as a new HashIndex(expected) would be; the storage is kept when it
  // is large enough (the feature extractor's tables are made again for every request).
  void reset(size_t expected);

  // Index of key, inserting it with the next free index when new.
  uint32_t insert(uint64_t key) {
    if (2 * (size_ + 1) > mask_ + 1) grow();
    for (size_t i = slot(key);; i = (i + 1) & mask_) {
      if (vals_[i] == kAbsent) {
        keys_[i] = key;
        vals_[i] = size_;
        return size_++;
      }
      if (keys_[i] == key) return vals_[i];
    }
  }
  uint32_t find(uint64_t key) const {
    for (size_t i = slot(key);; i = (i + 1) & mask_) {
      if (vals_[i] == kAbsent) return kAbsent;
      if (keys_[i] == key) return vals_[i];
    }
  }
  uint32_t size() const { return size_; }

 private:
  // The low bits as they are: the keys are text hashes, whose last step mixes the high bits into
  // them, or small ids (WordNet's synonym groups), which then fill consecutive slots.
  size_t slot(uint64_t key) const { return static_cast<size_t>(key & mask_); }
  void grow();

  std::unique_ptr<uint64_t[]> keys_;  // read only where vals_ holds an index: never cleared
  std::unique_ptr<uint32_t[]> vals_;  // slots 0..mask_ in use of room_
  size_t room_ = 0;
  uint64_t mask_ = 0;
  uint32_t size_ = 0;
};

}  // namespace flk::hrs
