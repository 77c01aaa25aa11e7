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

namespace text_hash_detail {
constexpr uint64_t mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}
// The little-endian word of p[i..i + n), n <= 8, zero-padded. Constant-evaluable, so that a literal's
// hash is a constant (no static to guard, no code); a whole word is one load at run time.
constexpr uint64_t word_at(const char* p, size_t i, size_t n) {
  uint64_t w = 0;
  if (n == 8 && !__builtin_is_constant_evaluated()) {
    std::memcpy(&w, p + i, 8);  // both targets (x86-64, wasm32) are little-endian
    return w;
  }
  for (size_t k = 0; k < n; ++k) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i + k])) << (8 * k);
  return w;
}
// The hash state after the whole 8-byte words of p[0..n).
constexpr uint64_t whole_words(const char* p, size_t n) {
  uint64_t h = 0x243F6A8885A308D3ull;
  for (size_t i = 0; i + 8 <= n; i += 8) h = mix(h, word_at(p, i, 8));
  return h;
}
constexpr uint64_t finish(uint64_t h, size_t n) {
  h = (h ^ n) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}
}  // namespace text_hash_detail

constexpr uint64_t text_hash(const char* p, size_t n) {
  using namespace text_hash_detail;
  uint64_t h = whole_words(p, n);
  const size_t i = n & ~size_t{7};
  if (i < n) h = mix(h, word_at(p, i, n - i));
  return finish(h, n);
}

// text_hash(p, n) for a buffer that can be read up to 7 bytes past n (whatever they hold): the
// last word is one load and a mask, not a loop over its bytes (the tokenizer's hot path).
inline uint64_t text_hash_padded(const char* p, size_t n) {
  using namespace text_hash_detail;
  uint64_t h = whole_words(p, n);
  const size_t i = n & ~size_t{7};
  if (i < n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = mix(h, w & (~uint64_t{0} >> (8 * (8 - (n - i)))));
  }
  return finish(h, n);
}

constexpr uint64_t text_hash(std::string_view s) { return text_hash(s.data(), s.size()); }

// Order-sensitive combination (hash of the bigram "a b" differs from "b a").
inline uint64_t hash_pair(uint64_t a, uint64_t b) {
  uint64_t h = a * 0x9E3779B97F4A7C15ull + b;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h;
}

}  // namespace flk::hrs
