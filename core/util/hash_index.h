// A flat open-addressing index from a 64-bit hash to the position of an entry the caller keeps
// in its own arrays (linear probing, power-of-two capacity, grown at 50 % load). No allocation per
// insert, which is what lets the cost ledger take millions of events per second. hash_bytes is a
// fast portable (not adversary-proof) byte hash for it; every build computes the same values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flk {

uint64_t hash_bytes(const void* p, size_t n, uint64_t seed = 0);
uint64_t hash_mix(uint64_t h, uint64_t v);  // combine one more 64-bit value

class HashIndex {
 public:
  static constexpr uint32_t npos = UINT32_MAX;

  // The entry with hash h for which same(entry) holds, or npos.
  template <class Same>
  uint32_t find(uint64_t h, Same same) const {
    if (slots_.empty()) return npos;
    const size_t mask = slots_.size() - 1;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry == npos) return npos;
      if (s.tag == tag && same(s.entry)) return s.entry;
    }
  }
  // Adds an entry (the caller has checked it is not there). rehash(entry) must give back the
  // hash the entry was inserted with (the index keeps only half of it).
  template <class Rehash>
  void insert(uint64_t h, uint32_t entry, Rehash rehash) {
    if ((used_ + 1) * 2 > slots_.size()) grow(rehash);
    place(h, entry);
    ++used_;
  }
  size_t size() const { return used_; }
  void clear();

 private:
  // 8 bytes: the hash's high half as a tag (the low half picked the slot), and the entry.
  struct Slot {
    uint32_t tag;
    uint32_t entry;
  };
  void place(uint64_t h, uint32_t entry);
  template <class Rehash>
  void grow(Rehash rehash) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{0, npos});
    for (const Slot& s : old)
      if (s.entry != npos) place(rehash(s.entry), s.entry);
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace flk
