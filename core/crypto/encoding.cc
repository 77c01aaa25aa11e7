#include "crypto/encoding.h"

#include <sodium.h>

namespace flk::crypto {

std::string to_hex(const uint8_t* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string to_base64(const uint8_t* p, size_t n) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, variant);
  out.pop_back();
  return out;
}

Result<Bytes> from_hex(std::string_view s) {
  if (s.size() % 2) return make_error("bad_encoding", "hex text has an odd number of digits");
  if (s.empty()) return Bytes{};  // libsodium's decoders take no null buffer, and an empty vector's may be
  Bytes out(s.size() / 2);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), s.data(), s.size(), nullptr, &len, &end) != 0 ||
      end != s.data() + s.size())
    return make_error("bad_encoding", "not hexadecimal text");
  out.resize(len);
  return out;
}

Result<Bytes> from_base64(std::string_view s) {
  if (s.size() % 4) return make_error("bad_encoding", "base64 text must be padded to a multiple of 4 characters");
  if (s.empty()) return Bytes{};  // as in from_hex
  Bytes out(s.size() / 4 * 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), s.data(), s.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != s.data() + s.size())
    return make_error("bad_encoding", "not canonical standard base64");
  out.resize(len);
  return out;
}

}  // namespace flk::crypto
