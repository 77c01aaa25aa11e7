#include "util/gunzip.h"

#include <zlib.h>

namespace flk {

Result<std::string> gunzip(const unsigned char* data, size_t size, size_t max_out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return make_error("internal", "zlib inflateInit2 failed");
  std::string out;
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = static_cast<uInt>(size);
  size_t used = 0;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (used == out.size()) {
      if (out.size() >= max_out) {
        inflateEnd(&zs);
        return make_error("internal", "gzip data inflates past " + std::to_string(max_out) + " bytes");
      }
      out.resize(out.empty() ? size * 4 : out.size() * 2);  // heap, not stack: wasm stacks are small
    }
    zs.next_out = reinterpret_cast<Bytef*>(&out[used]);
    zs.avail_out = static_cast<uInt>(out.size() - used);
    rc = inflate(&zs, Z_NO_FLUSH);
    used = out.size() - zs.avail_out;
  }
  out.resize(used);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return make_error("internal", "corrupt gzip data");
  return out;
}

}  // namespace flk
