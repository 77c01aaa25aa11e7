#include "json/write.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "json/number_format.h"

namespace flk::json {
namespace {

const char kHex[] = "0123456789abcdef";

// The output through a buffer of its own, appended to the string in blocks: libc++ compiles
// push_back and append into the library, so in the wasm builds every character and run was a
// call (push_back alone 3 % of gate.decide in the WASI reactor; docs/edge.md, "Session 14: the
// WASI small rows"). Flushed when it goes out of scope, and before others write to the string.
class Sink {
 public:
  explicit Sink(std::string& out) : out_(out) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { flush(); }
  void put(char c) {
    if (n_ == sizeof buf_) flush();
    buf_[n_++] = c;
  }
  void put(std::string_view s) {
    if (s.size() > sizeof buf_ - n_) {
      flush();
      if (s.size() > sizeof buf_) {
        out_.append(s.data(), s.size());
        return;
      }
    }
    std::memcpy(buf_ + n_, s.data(), s.size());
    n_ += s.size();
  }
  std::string& flushed() {
    flush();
    return out_;
  }

 private:
  void flush() {
    out_.append(buf_, n_);
    n_ = 0;
  }
  std::string& out_;
  char buf_[256];
  size_t n_ = 0;
};

void put_u(Sink& out, uint32_t cp) {
  out.put("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out.put(kHex[(cp >> shift) & 0xF]);
}

// Decodes one UTF-8 sequence at s[i]; input was validated at parse time, anything else
// (internal strings) is treated byte-wise as U+FFFD.
uint32_t next_code_point(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (n < 0 || i + static_cast<size_t>(n) >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = n == 0 ? c : c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    // Not a continuation byte: the lead byte alone is replaced and b is read on its own (the
    // bytes were once taken blindly and the output was not canonical; found by tests/fuzz).
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr uint32_t kShortest[] = {0, 0x80, 0x800, 0x10000};
  // An overlong form, a surrogate (ED A0-BF xx: \uD800-\uDFFF escaped alone would not parse
  // back; found by tests/fuzz/fuzz_facade), or beyond Unicode.
  if (cp < kShortest[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<size_t>(n) + 1;
  return cp;
}

bool plain(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

// The end of the run of plain bytes from i, eight bytes a step (the byte loop was a fifth of
// writing hrs.score's answer). A word's flags are exact for its lowest byte that is not plain,
// as in parse.cc's string scan: a false flag needs a borrow or carry from a lower flagged byte
// (a carry into the next byte comes only from 0xFF, itself flagged).
size_t plain_end(std::string_view s, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (; s.size() - i >= 8; i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const uint64_t quote = x ^ (kOnes * '"'), slash = x ^ (kOnes * '\\');
    // '"', '\\', below 0x20, and 0x7F or above (the high bit of x, or of x + 1 for 0x7F)
    const uint64_t stop =
        (((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | ((x - kOnes * 0x20) & ~x) | x | (x + kOnes)) & kHigh;
    if (stop) return i + (static_cast<size_t>(__builtin_ctzll(stop)) >> 3);
  }
  while (i < s.size() && plain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

void quote(Sink& out, std::string_view s) {
  out.put('"');
  for (size_t i = 0; i < s.size();) {
    const size_t end = plain_end(s, i);
    out.put(s.substr(i, end - i));
    if (end == s.size()) break;
    i = end;
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.put('\\');
      out.put(static_cast<char>(c));
      ++i;
      continue;
    }
    switch (c) {
      case '\n': out.put("\\n"); ++i; continue;
      case '\r': out.put("\\r"); ++i; continue;
      case '\t': out.put("\\t"); ++i; continue;
      case '\b': out.put("\\b"); ++i; continue;
      case '\f': out.put("\\f"); ++i; continue;
      default: break;
    }
    uint32_t cp = next_code_point(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_u(out, 0xD800 + (cp >> 10));
      put_u(out, 0xDC00 + (cp & 0x3FF));
    } else {
      put_u(out, cp);
    }
  }
  out.put('"');
}

bool write_value(const Value& v, Sink& out) {
  switch (v.type()) {
    case Type::Null: out.put("null"); return true;
    case Type::Bool: out.put(v.as_bool() ? "true" : "false"); return true;
    case Type::Int: out.put(std::to_string(v.as_int())); return true;
    case Type::Double:
      if (!std::isfinite(v.as_double())) {
        out.put("null");
        return false;
      }
      append_double(out.flushed(), v.as_double());
      return true;
    case Type::String: quote(out, v.as_string()); return true;
    case Type::Array: {
      bool ok = true;
      out.put('[');
      for (size_t i = 0; i < v.as_array().size(); ++i) {
        if (i) out.put(',');
        ok &= write_value(v.as_array()[i], out);
      }
      out.put(']');
      return ok;
    }
    case Type::Object: {
      const auto& members = v.as_object();
      std::vector<const Value::Member*> order;
      order.reserve(members.size());
      for (const auto& m : members) order.push_back(&m);
      // std::string compares bytes as unsigned: UTF-8 byte order is code-point order.
      std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
      bool ok = true;
      out.put('{');
      for (size_t i = 0; i < order.size(); ++i) {
        if (i) out.put(',');
        quote(out, order[i]->first);
        out.put(':');
        ok &= write_value(order[i]->second, out);
      }
      out.put('}');
      return ok;
    }
  }
  return false;
}

}  // namespace

void append_quoted(std::string& out, std::string_view s) {
  Sink k(out);
  quote(k, s);
}

bool write(const Value& v, std::string& out) {
  Sink k(out);
  return write_value(v, k);
}

std::string to_string(const Value& v) {
  std::string s;
  write(v, s);
  return s;
}

}  // namespace flk::json
