#include "hrs/hash_index.h"

#include <cstring>

namespace flk::hrs {

HashIndex::HashIndex(size_t expected) {
  size_t cap = 16;
  while (cap < 2 * expected) cap <<= 1;
  keys_.assign(cap, 0);
  vals_.resize(cap);
  std::memset(vals_.data(), 0xFF, cap * sizeof(uint32_t));  // kAbsent everywhere, as one memset
  mask_ = cap - 1;
}

void HashIndex::grow() {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> vals;
  keys.swap(keys_);
  vals.swap(vals_);
  keys_.assign(keys.size() * 2, 0);
  vals_.assign(keys.size() * 2, kAbsent);
  mask_ = keys_.size() - 1;
  for (size_t j = 0; j < keys.size(); ++j) {
    if (vals[j] == kAbsent) continue;
    size_t i = slot(keys[j]);
    while (vals_[i] != kAbsent) i = (i + 1) & mask_;
    keys_[i] = keys[j];
    vals_[i] = vals[j];
  }
}

}  // namespace flk::hrs
