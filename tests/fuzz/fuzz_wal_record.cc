// The WAL record decoder (server/wal/record.h), which reads whatever a crash left on disk. When
// the first byte is odd the harness writes the right CRC into the record header first, so inputs
// get past the checksum to the length fields behind it. Properties: no crash; a decoded record's
// size lies within the input, and encoding the record again gives back exactly those bytes.
#include <string>
#include <zlib.h>

#include "check.h"
#include "wal/record.h"

using flk::server::kWalHeaderBytes;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string d(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) && d.size() >= kWalHeaderBytes) {
    uint32_t payload = 0;
    for (int i = 0; i < 4; ++i) payload |= static_cast<uint32_t>(static_cast<uint8_t>(d[4 + i])) << (8 * i);
    const size_t n = std::min<size_t>(8 + payload, d.size() - 12);
    const uint32_t crc = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(d.data() + 12), n));
    for (int i = 0; i < 4; ++i) d[8 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  }
  size_t used = 0;
  auto r = flk::server::decode_record(d, &used);
  if (!r) return 0;
  FUZZ_CHECK(used >= kWalHeaderBytes && used <= d.size());
  std::string again;
  flk::server::encode_record(*r, again);
  FUZZ_CHECK(again == d.substr(0, used));
  return 0;
}
