// An append-only array in fixed chunks: growing never moves or copies what is stored, so a
// table that grows by millions of entries touches each entry's memory once (a std::vector that
// doubles copies everything and faults in twice the pages; the cost ledger's cells spent ~15 %
// of sparse ingest there). Indexing is one shift and one mask.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace flk {

template <class T, size_t kChunkBits = 10>
class ChunkedVector {
 public:
  static constexpr size_t kChunk = size_t{1} << kChunkBits;

  size_t size() const { return size_; }
  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  void push_back(T v) {
    if ((size_ & (kChunk - 1)) == 0 && (size_ >> kChunkBits) == chunks_.size())
      chunks_.push_back(std::make_unique<T[]>(kChunk));
    (*this)[size_++] = std::move(v);
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace flk
