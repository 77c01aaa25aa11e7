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

// The hash's low 32 bits are both the slot position (masked) and the tag kept in the slot, so
// growing re-places slots from their tags alone: it never reads the caller's entries or re-hashes
// them (for the ledger's event ids that was a hash of every id, in random order, at every doubling).
// The tag's bits above the position still tell nearly all different hashes apart. The table stops
// growing at 2^32 slots; entries are below npos, so a free slot always remains.
class HashIndex {
 public:
  static constexpr uint32_t npos = UINT32_MAX;

  // The entry with hash h for which same(entry) holds, or npos.
  template <class Same>
  uint32_t find(uint64_t h, Same same) const {
    if (slots_.empty()) return npos;
    const size_t mask = slots_.size() - 1;
    const uint32_t tag = static_cast<uint32_t>(h);
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry == npos) return npos;
      if (s.tag == tag && same(s.entry)) return s.entry;
    }
  }
  // Hints for callers that overlap the cache misses of several lookups: bring h's first slot into
  // the cache; the entry of the first slot from there whose tag matches h (npos when an empty slot
  // comes first), a guess at what find(h) will compare, to prefetch in turn.
  void prefetch(uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<uint32_t>(h) & (slots_.size() - 1)]);
  }
  uint32_t candidate(uint64_t h) const {
    return find(h, [](uint32_t) { return true; });
  }
  // Adds an entry (the caller has checked it is not there).
  void insert(uint64_t h, uint32_t entry) {
    if ((used_ + 1) * 2 > slots_.size() && static_cast<uint64_t>(slots_.size()) < (uint64_t{1} << 32)) grow();
    place(static_cast<uint32_t>(h), entry);
    ++used_;
  }
  size_t size() const { return used_; }
  void clear();

 private:
  struct Slot {
    uint32_t tag;
    uint32_t entry;
  };
  void place(uint32_t tag, uint32_t entry);
  void grow();
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace flk
