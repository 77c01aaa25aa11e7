// 64-bit hashes of token text and of token n-grams. The values are part of the model format
// (hashed lexical buckets), so they are fixed here once: FNV-1a over bytes, and a
// multiply-xorshift mix for combining hashes of consecutive tokens.
#pragma once
#include <cstdint>
#include <string_view>

namespace flk::hrs {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

inline uint64_t fnv1a(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return h;
}

// Order-sensitive combination (hash of the bigram "a b" differs from "b a").
inline uint64_t hash_pair(uint64_t a, uint64_t b) {
  uint64_t h = a * 0x9E3779B97F4A7C15ull + b;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h;
}

}  // namespace flk::hrs
