#include "hrs/hash_index.h"

#include <cstring>

namespace flk::hrs {

HashIndex::HashIndex(size_t expected) {
  size_t cap = 16;
  while (cap < 2 * expected) cap <<= 1;
  keys_.reset(new uint64_t[cap]);
  vals_.resize(cap);
  std::memset(vals_.data(), 0xFF, cap * sizeof(uint32_t));  // kAbsent everywhere, as one memset
  mask_ = cap - 1;
}

void HashIndex::grow() {
  std::unique_ptr<uint64_t[]> keys(new uint64_t[vals_.size() * 2]);
  std::vector<uint32_t> vals(vals_.size() * 2, kAbsent);
  keys.swap(keys_);
  vals.swap(vals_);
  mask_ = vals_.size() - 1;
  for (size_t j = 0; j < vals.size(); ++j) {
    if (vals[j] == kAbsent) continue;
    size_t i = slot(keys[j]);
    while (vals_[i] != kAbsent) i = (i + 1) & mask_;
    keys_[i] = keys[j];
    vals_[i] = vals[j];
  }
}

}  // namespace flk::hrs
