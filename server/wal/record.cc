#include "wal/record.h"

#include <zlib.h>

#include <cstring>

namespace flk::server {
namespace {

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) b[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
  out.append(b, sizeof(T));
}

template <typename T>
T get(const char* p) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return static_cast<T>(v);
}

uint32_t crc_of(const char* p, size_t n) {
  uLong c = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    uInt step = n > (1u << 30) ? (1u << 30) : static_cast<uInt>(n);
    c = crc32(c, reinterpret_cast<const Bytef*>(p), step);
    p += step;
    n -= step;
  }
  return static_cast<uint32_t>(c);
}

constexpr size_t kFixedPayload = 1 + 8 + 2 + 2;

}  // namespace

void encode_record(const WalRecord& r, std::string& out) {
  const size_t start = out.size();
  const uint32_t payload = static_cast<uint32_t>(kFixedPayload + r.tenant.size() + r.auth.size() + r.body.size());
  put<uint32_t>(out, kWalMagic);
  put<uint32_t>(out, payload);
  put<uint32_t>(out, 0);  // CRC, filled below
  put<uint64_t>(out, r.seq);
  put<uint8_t>(out, r.kind);
  put<int64_t>(out, r.received_ms);
  put<uint16_t>(out, static_cast<uint16_t>(r.tenant.size()));
  out += r.tenant;
  put<uint16_t>(out, static_cast<uint16_t>(r.auth.size()));
  out += r.auth;
  out += r.body;
  uint32_t crc = crc_of(out.data() + start + 12, 8 + payload);
  for (int i = 0; i < 4; ++i) out[start + 8 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
}

std::optional<WalRecord> decode_record(std::string_view d, size_t* size) {
  if (d.size() < kWalHeaderBytes || get<uint32_t>(d.data()) != kWalMagic) return std::nullopt;
  const uint32_t payload = get<uint32_t>(d.data() + 4);
  if (payload < kFixedPayload || d.size() - kWalHeaderBytes < payload) return std::nullopt;
  if (crc_of(d.data() + 12, 8 + payload) != get<uint32_t>(d.data() + 8)) return std::nullopt;
  WalRecord r;
  const char* p = d.data() + 12;
  r.seq = get<uint64_t>(p);
  r.kind = get<uint8_t>(p + 8);
  r.received_ms = get<int64_t>(p + 9);
  const uint16_t tlen = get<uint16_t>(p + 17);
  if (kFixedPayload + tlen > payload) return std::nullopt;
  r.tenant.assign(p + 19, tlen);
  const uint16_t alen = get<uint16_t>(p + 19 + tlen);
  if (kFixedPayload + tlen + alen > payload) return std::nullopt;
  r.auth.assign(p + 21 + tlen, alen);
  r.body.assign(p + 21 + tlen + alen, payload - kFixedPayload - tlen - alen);
  *size = kWalHeaderBytes + payload;
  return r;
}

size_t find_record(std::string_view d, size_t from, uint64_t after_seq) {
  size_t size = 0;
  auto valid_at = [&](size_t at) {
    auto r = decode_record(d.substr(at), &size);
    return r && r->seq > after_seq;
  };
  if (from + kWalHeaderBytes <= d.size() && get<uint32_t>(d.data() + from) == kWalMagic) {
    const size_t framed = from + kWalHeaderBytes + get<uint32_t>(d.data() + from + 4);
    if (framed > from && framed < d.size() && valid_at(framed)) return framed;
  }
  const char magic[4] = {'F', 'L', 'K', 'W'};
  for (size_t at = from + 1; at + kWalHeaderBytes <= d.size(); ++at) {
    const void* hit = std::memchr(d.data() + at, magic[0], d.size() - at);
    if (!hit) break;
    at = static_cast<size_t>(static_cast<const char*>(hit) - d.data());
    if (at + kWalHeaderBytes <= d.size() && std::memcmp(d.data() + at, magic, 4) == 0 && valid_at(at)) return at;
  }
  return std::string_view::npos;
}

}  // namespace flk::server
