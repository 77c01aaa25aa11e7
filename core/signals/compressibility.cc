#include "signals/compressibility.h"

#include <zlib.h>

#include <vector>

#include "util/decimal_round.h"

namespace flk::signals {

double compressibility(std::string_view raw) {
  if (raw.empty()) return 1.0;
  uLongf len = compressBound(static_cast<uLong>(raw.size()));
  std::vector<Bytef> buf(len);
  compress2(buf.data(), &len, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 6);
  double r = static_cast<double>(len) / static_cast<double>(raw.size());
  if (r > 1.0) r = 1.0;
  return round_exact(r, 9);
}

}  // namespace flk::signals
