#include "pii/redact.h"

#include "crypto/hash.h"
#include "pii/chars.h"

namespace flk::pii {
namespace {

std::string upper_name(Kind k) {
  std::string s = kind_name(k);
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

std::string normalise(Kind kind, std::string_view v) {
  std::string o;
  switch (kind) {
    case Kind::Email:
      for (unsigned char c : v) o.push_back(static_cast<char>(to_lower(c)));
      return o;
    case Kind::Phone:
    case Kind::PaymentCard:
    case Kind::UsSsn:
    case Kind::Iban:
      for (unsigned char c : v)
        if (is_alnum(c)) o.push_back(static_cast<char>(is_lower(c) ? c - 32 : c));
      return o;
    default:
      return std::string(v);
  }
}

}  // namespace

std::string pseudonym(Kind kind, std::string_view value, const crypto::Bytes& key) {
  std::string msg = kind_name(kind);
  msg.push_back('\0');
  msg += normalise(kind, value);
  crypto::Digest mac = crypto::hmac_sha256(key, reinterpret_cast<const uint8_t*>(msg.data()), msg.size());
  return "[" + upper_name(kind) + ":" + crypto::to_hex(mac.data(), 8) + "]";
}

std::string redact(std::string_view text, const Findings& findings, Mode mode, const crypto::Bytes& key) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const Finding& f : findings) {
    out.append(text.substr(pos, f.begin - pos));
    std::string_view v = text.substr(f.begin, f.end - f.begin);
    if (mode == Mode::Mask) {
      for (unsigned char c : v)
        if ((c & 0xC0) != 0x80) out.push_back('*');
    } else if (mode == Mode::Tag) {
      out += "[" + upper_name(f.kind) + "]";
    } else {
      out += pseudonym(f.kind, v, key);
    }
    pos = f.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace flk::pii
