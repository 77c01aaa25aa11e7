// 64-bit hashes of token text and of token n-grams. The values are part of the model format
// (hashed lexical buckets), so they are fixed here once: text is hashed eight bytes at a time
// (little-endian words, the last one zero-padded, then the length), and hash_pair is a
// multiply-xorshift mix for combining hashes of consecutive tokens. FNV-1a (byte at a time)
// remains for the grouping keys of training data, where speed does not matter.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace flk::hrs {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

inline uint64_t fnv1a(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return h;
}

inline uint64_t text_hash(const char* p, size_t n) {
  uint64_t h = 0x243F6A8885A308D3ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);  // both targets (x86-64, wasm32) are little-endian
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
  }
  if (i < n) {
    uint64_t w = 0;
    for (size_t k = i; k < n; ++k) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[k])) << (8 * (k - i));
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
  }
  h = (h ^ n) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}
inline uint64_t text_hash(std::string_view s) { return text_hash(s.data(), s.size()); }

// Order-sensitive combination (hash of the bigram "a b" differs from "b a").
inline uint64_t hash_pair(uint64_t a, uint64_t b) {
  uint64_t h = a * 0x9E3779B97F4A7C15ull + b;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h;
}

}  // namespace flk::hrs
