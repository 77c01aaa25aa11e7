#include "util/int_text.h"

namespace flk {

void append_padded(std::string& out, int64_t v, int width) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char buf[20];
  int n = 0;
  do buf[n++] = static_cast<char>('0' + u % 10);
  while (u /= 10);
  if (v < 0) out += '-', --width;
  if (width > n) out.append(static_cast<size_t>(width - n), '0');
  while (n) out += buf[--n];
}

void append_hex16(std::string& out, uint64_t v) {
  for (int shift = 60; shift >= 0; shift -= 4) out += "0123456789abcdef"[v >> shift & 15];
}

}  // namespace flk
