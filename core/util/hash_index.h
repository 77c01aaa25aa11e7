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
  // Hints for callers that overlap the cache misses of several lookups: bring h's first slot into
  // the cache; the entry of the first slot from there whose tag matches h (npos when an empty slot
  // comes first), a guess at what find(h) will compare, to prefetch in turn.
  void prefetch(uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<size_t>(h) & (slots_.size() - 1)]);
  }
  uint32_t candidate(uint64_t h) const {
    return find(h, [](uint32_t) { return true; });
  }
  // Adds an entry (the caller has checked it is not there). Entries are the caller's array
  // positions, inserted in order: 0, 1, 2, … rehash(entry) must give back the hash the entry was
  // inserted with (the index keeps only half of it); growing calls it for entries in order, so the
  // caller's arrays are read front to back rather than at random.
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
    const size_t n = slots_.empty() ? 64 : slots_.size() * 2;
    slots_.assign(n, Slot{0, npos});
    for (uint32_t e = 0; e < used_; ++e) place(rehash(e), e);
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace flk
