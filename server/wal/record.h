// The WAL's on-disk record: little-endian header {magic u32, payload length u32, CRC-32 u32,
// seq u64} then the payload {kind u8, received_ms i64, tenant length u16, tenant, auth length u16,
// auth, body}.
// The CRC (zlib's CRC-32) covers seq and payload, so a torn or zeroed tail reads as the end, and
// after a damaged record the next whole one can be found again (resync).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flk::server {

struct WalRecord {
  uint64_t seq = 0;
  uint8_t kind = 0;  // which route wrote it (RecordKind in app/pipeline.h)
  int64_t received_ms = 0;
  std::string tenant;
  std::string auth;  // the request's signature header, when the route has one
  std::string body;
};

constexpr uint32_t kWalMagic = 0x574b4c46;  // "FLKW"
constexpr size_t kWalHeaderBytes = 20;

void encode_record(const WalRecord& r, std::string& out);
// Decodes the record at data[0..]; nullopt when the bytes there are not a whole, valid record.
// *size receives the record's encoded length.
std::optional<WalRecord> decode_record(std::string_view data, size_t* size);
// The offset of the first whole, valid record at or after data[from] whose seq exceeds
// after_seq; npos when there is none. A damaged record whose length field is intact is skipped
// by its framing first, so records that a client's body happens to contain are not taken for
// the log's own.
size_t find_record(std::string_view data, size_t from, uint64_t after_seq);

}  // namespace flk::server
