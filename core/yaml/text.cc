#include "yaml/text.h"

namespace flk::yaml {
namespace {

// Length of the UTF-8 sequence at s[i], or 0 when it is not well formed.
size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  const auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return b(1) >= lo && b(1) <= hi && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return b(1) >= lo && b(1) <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

Result<std::string> normalize(std::string_view in, std::string* before_error) {
  std::string out;
  out.reserve(in.size());
  size_t i = in.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '\r') {
      out += '\n';
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n') {
      *before_error = std::move(out);
      return make_error("bad_yaml", "a control character (byte " + std::to_string(u) + ")");
    }
    const size_t n = utf8_length(in, i);
    if (!n) {
      *before_error = std::move(out);
      return make_error("bad_yaml", "invalid UTF-8");
    }
    out.append(in.substr(i, n));
    i += n;
  }
  return out;
}

std::string where(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace flk::yaml
