#include "util/hash_index.h"

#include <cstring>

namespace flk {

uint64_t hash_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

uint64_t hash_bytes(const void* p, size_t n, uint64_t seed) {
  const auto* b = static_cast<const unsigned char*>(p);
  uint64_t h = hash_mix(seed, n);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, b + i, 8);  // little-endian on every target we build
    h = hash_mix(h, w);
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < n; ++k) tail |= static_cast<uint64_t>(b[i + k]) << (8 * k);
  h = hash_mix(h, tail);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

void HashIndex::place(uint32_t tag, uint32_t entry) {
  const size_t mask = slots_.size() - 1;
  size_t i = tag & mask;
  while (slots_[i].entry != npos) i = (i + 1) & mask;
  slots_[i] = {tag, entry};
}

void HashIndex::grow() {
  std::vector<Slot> old(slots_.empty() ? 64 : slots_.size() * 2, Slot{0, npos});
  old.swap(slots_);
  for (const Slot& s : old)
    if (s.entry != npos) place(s.tag, s.entry);
}

void HashIndex::clear() {
  slots_.clear();
  used_ = 0;
}

}  // namespace flk
