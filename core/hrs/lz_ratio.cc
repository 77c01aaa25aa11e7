#include "hrs/lz_ratio.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace flk::hrs {

double lz_ratio(std::string_view s) {
  const size_t n = s.size();
  if (n < 10) return 1.0;
  int bits = 8;  // a hash table with at least two slots per byte, 256 to 8192 slots
  while (bits < 13 && (size_t{1} << bits) < 2 * n) ++bits;
  constexpr uint32_t kNone = 0xFFFFFFFFu;
  std::vector<uint32_t> last(size_t{1} << bits, kNone);
  auto key = [&](size_t i) {
    uint32_t v;
    std::memcpy(&v, s.data() + i, 4);
    v *= 0x9E3779B1u;
    v ^= v >> 15;
    v *= 0x85EBCA77u;
    return static_cast<size_t>(v >> (32 - bits));
  };
  size_t cost = 0, i = 0;
  while (i < n) {
    if (i + 4 <= n) {
      size_t k = key(i);
      uint32_t j = last[k];
      last[k] = static_cast<uint32_t>(i);
      if (j != kNone && std::memcmp(s.data() + j, s.data() + i, 4) == 0) {
        size_t len = 4;
        while (i + len < n && s[j + len] == s[i + len]) ++len;
        for (size_t m = i + 1; m < i + len && m + 4 <= n; ++m) last[key(m)] = static_cast<uint32_t>(m);
        cost += 3;
        i += len;
        continue;
      }
    }
    ++cost;
    ++i;
  }
  double r = static_cast<double>(cost) / static_cast<double>(n);
  return r > 1.0 ? 1.0 : r;
}

}  // namespace flk::hrs
