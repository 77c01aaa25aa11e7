#include "hrs/hash_index.h"

#include <cstring>

namespace flk::hrs {

void HashIndex::reset(size_t expected) {
  size_t cap = 16;
  while (cap < 2 * expected) cap <<= 1;
  if (cap > room_) {
    keys_.reset(new uint64_t[cap]);
    vals_.reset(new uint32_t[cap]);
    room_ = cap;
  }
  std::memset(vals_.get(), 0xFF, cap * sizeof(uint32_t));  // kAbsent everywhere, as one memset
  mask_ = cap - 1;
  size_ = 0;
}

void HashIndex::grow() {
  const size_t old_cap = mask_ + 1, cap = 2 * old_cap;
  std::unique_ptr<uint64_t[]> keys(new uint64_t[cap]);
  std::unique_ptr<uint32_t[]> vals(new uint32_t[cap]);
  std::memset(vals.get(), 0xFF, cap * sizeof(uint32_t));
  keys.swap(keys_);
  vals.swap(vals_);
  room_ = cap;
  mask_ = cap - 1;
  for (size_t j = 0; j < old_cap; ++j) {
    if (vals[j] == kAbsent) continue;
    size_t i = slot(keys[j]);
    while (vals_[i] != kAbsent) i = (i + 1) & mask_;
    keys_[i] = keys[j];
    vals_[i] = vals[j];
  }
}

}  // namespace flk::hrs
