#include "hrs/router.h"

#include <cstdint>

#include "crypto/hash.h"

namespace flk::hrs {

bool route_to_treatment(std::string_view key, double traffic_split) {
  crypto::Digest d = crypto::sha256(key);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
  return static_cast<double>(h % 100) / 100 < traffic_split;
}

}  // namespace flk::hrs
