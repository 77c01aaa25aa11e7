#include "json/parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <set>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/decimal_double.h"
#include "json/utf8.h"

namespace flk::json {
// The input as RapidJSON reads it, as a type of its own so that the reader can copy a string's
// plain bytes in one step (the specialisation below) instead of one Put per byte.
struct TextStream : rapidjson::MemoryStream {
  using rapidjson::MemoryStream::MemoryStream;
};
}  // namespace flk::json

RAPIDJSON_NAMESPACE_BEGIN
// Called by the reader at the start of a string and after each escape when it does not validate
// the encoding (the text is checked as UTF-8 first): copies the bytes before the next '"', '\\',
// control character or the end, which the reader then handles itself.
template <>
template <>
inline void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ScanCopyUnescapedString(flk::json::TextStream& is,
                                                                                 StackStream<char>& os) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const char* p = is.src_;
  const char* const end = is.end_;
#if defined(__SSE2__)
  // Sixteen bytes per step where SSE2 exists (native x86-64): a third of the instructions of the
  // eight-byte step below, which finds the same first byte (and ends the text).
  const __m128i quote16 = _mm_set1_epi8('"'), slash16 = _mm_set1_epi8('\\'), below = _mm_set1_epi8(0x1F);
  auto stops = [&](const char* at) {  // 0xFF where the byte is '"', '\\' or up to 0x1F
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(x, below), x);
    return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote16), _mm_cmpeq_epi8(x, slash16)), control);
  };
  // 64 bytes to one test while none stops (a context of some KB), then the block that stops
  // 16 at a time.
  for (; end - p >= 64; p += 64) {
    const __m128i any = _mm_or_si128(_mm_or_si128(stops(p), stops(p + 16)), _mm_or_si128(stops(p + 32), stops(p + 48)));
    if (_mm_movemask_epi8(any)) break;
  }
  for (; end - p >= 16; p += 16) {
    const int stop = _mm_movemask_epi8(stops(p));
    if (stop) {
      p += __builtin_ctz(static_cast<unsigned>(stop));
      break;
    }
  }
#endif
  for (; end - p >= 8; p += 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    // High bit of a byte where it is '"', '\\' or below 0x20 (exact for the lowest such byte).
    const uint64_t quote = x ^ (kOnes * '"'), slash = x ^ (kOnes * '\\');
    const uint64_t stop = ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | ((x - kOnes * 0x20) & ~x);
    if (stop & kHigh) {
      p += __builtin_ctzll(stop & kHigh) >> 3;
      break;
    }
  }
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  const size_t n = static_cast<size_t>(p - is.src_);
  if (n > 0) std::memcpy(os.Push(static_cast<SizeType>(n)), is.src_, n);
  is.src_ = p;
}
RAPIDJSON_NAMESPACE_END

namespace flk::json {
namespace {

// SAX handler that builds a Value tree and enforces the limits.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  explicit Builder(const ParseLimits& limits) : limits_(limits) {}

  bool Null() { return add(Value()); }
  bool Bool(bool b) { return add(Value(b)); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag), already checked against the JSON
  // grammar. RapidJSON 1.1.0's own conversion misreads some (2.4e-324 as 5e-324,
  // 0.000000000000000000000000000001e-300 as -1.7e302; found by tests/fuzz), so integers are read
  // here and every other number by the exact fast path of decimal_double.h or else its exact
  // slow path (read_decimal.h, big integers): the same double in every build.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    // One pass: the grammar is checked, so the text is an integer when every character after the
    // sign is a digit; one that overflows uint64 is read like a fraction.
    const bool minus = s[0] == '-';
    uint64_t u = 0;
    rapidjson::SizeType k = minus;
    for (; k < n; ++k) {
      const unsigned d = static_cast<unsigned char>(s[k]) - unsigned{'0'};
      if (d > 9 || u > (std::numeric_limits<uint64_t>::max() - d) / 10) break;
      u = u * 10 + d;
    }
    if (k == n) {
      if (!minus && u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return add(Value(static_cast<int64_t>(u)));
      if (minus && u <= uint64_t{1} << 63) return add(Value(static_cast<int64_t>(0 - u)));
    }
    double d;
    decimal_to_double(std::string_view(s, n), &d);  // the grammar is checked: all of it is read
    if (!std::isfinite(d)) return fail("bad_json", "a number the parser cannot represent");
    return add(Value(d));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (has_lone_surrogate(s, n)) return fail_lone_surrogate();
    return add(Value(std::string_view(s, n)));
  }
  bool StartObject() { return open(Value::object()); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (has_lone_surrogate(s, n)) return fail_lone_surrogate();
    Frame& f = stack_.back();
    f.key.assign(s, n);
    if (!unique_key(f)) return fail("duplicate_key", "duplicate key \"" + f.key + "\"");
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Value::array()); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  Value root;
  Error error;
  bool failed = false;

 private:
  struct Frame {
    Value value;
    std::string key;
    std::set<std::string> keys;  // the keys of an object of kScanKeys members or more
  };

  // Whether f.key is new in its object: a small object's members are searched as they stand (a
  // set node and its key's copy are two allocations per key, and in the wasm builds libc++ keeps
  // only 10 bytes of a string inline, so most keys are heap strings there); from kScanKeys
  // members on, where a search would grow quadratic, a set.
  static constexpr size_t kScanKeys = 32;
  static bool unique_key(Frame& f) {
    const Value::Object& members = f.value.as_object();
    if (members.size() < kScanKeys) {
      for (const auto& m : members)
        if (m.first == f.key) return false;
      return true;
    }
    if (f.keys.empty())
      for (const auto& m : members) f.keys.insert(m.first);
    return f.keys.insert(f.key).second;
  }

  // RapidJSON refuses a high-surrogate escape without its pair, but writes a lone low one
  // (\uDC00-\uDFFF) as the three bytes ED B0-BF xx, which are not UTF-8 and which hosts that
  // decode text would each repair differently. Raw input is validated already, so these bytes
  // can only come from such an escape.
  static bool has_lone_surrogate(const char* s, size_t n) {
    for (const char* p = static_cast<const char*>(std::memchr(s, 0xED, n)); p && p + 1 < s + n;
         p = static_cast<const char*>(std::memchr(p + 1, 0xED, static_cast<size_t>(s + n - p - 1))))
      if ((static_cast<unsigned char>(p[1]) & 0xE0) == 0xA0) return true;
    return false;
  }
  bool fail_lone_surrogate() {
    return fail("bad_json", "a \\u escape of a lone surrogate (a low surrogate without its high one)");
  }
  bool fail(const char* code, std::string msg) {
    error = make_error(code, std::move(msg), path());
    failed = true;
    return false;
  }
  std::string path() const {
    std::string p = "$";
    for (const auto& f : stack_) {
      if (f.value.is_object()) p += "." + f.key;
      else p += "[" + std::to_string(f.value.as_array().size()) + "]";
    }
    return p;
  }
  bool count() {
    if (++values_ <= limits_.max_values) return true;
    return fail("too_large", "the input holds more than " + std::to_string(limits_.max_values) + " values");
  }
  bool add(Value v) {
    if (!v.is_array() && !v.is_object() && !count()) return false;
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Frame& top = stack_.back();
    // Straight into the vectors: close() fits them, and push()'s first room (json/value.cc) would
    // cost a parsed array of one item a second allocation.
    if (top.value.is_object()) top.value.as_object().emplace_back(std::move(top.key), std::move(v));
    else top.value.as_array().push_back(std::move(v));
    return true;
  }
  bool open(Value v) {
    if (stack_.size() >= limits_.max_depth)
      return fail("too_deep", "nesting deeper than " + std::to_string(ParseLimits{}.max_depth) + " levels");
    if (!count()) return false;
    stack_.push_back(Frame{std::move(v), {}, {}});
    return true;
  }
  bool close() {
    Value v = std::move(stack_.back().value);
    // A vector grows by doubling: a closed container gives its spare capacity back.
    if (v.is_array()) v.as_array().shrink_to_fit();
    else v.as_object().shrink_to_fit();
    stack_.pop_back();
    return add(std::move(v));
  }

  const ParseLimits& limits_;
  size_t values_ = 0;
  std::vector<Frame> stack_;
};

#ifndef __OPTIMIZE_SIZE__
// The length of the number at p when it is a plain one, -?(0|[1-9][0-9]{0,18})(\.[0-9]+)? with
// no exponent after it; 0 for any other, which RapidJSON's own ParseNumber checks and reports.
size_t plain_number_length(const char* p, const char* end) {
  const char* const start = p;
  auto digits = [&] {
    const char* from = p;
    while (p < end && *p >= '0' && *p <= '9') ++p;
    return p - from;
  };
  p += p < end && *p == '-';
  if (p < end && *p == '0') ++p;
  else if (const auto n = digits(); n == 0 || n > 19) return 0;  // 20 digits and more: its overflow check
  if (p < end && *p == '.') {
    ++p;
    if (digits() == 0) return 0;
  }
  if (p < end && (*p == 'e' || *p == 'E')) return 0;
  return static_cast<size_t>(p - start);
}
#endif

constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;

}  // namespace
}  // namespace flk::json

#ifndef __OPTIMIZE_SIZE__
RAPIDJSON_NAMESPACE_BEGIN
// RapidJSON reads a number as text by pushing it onto its stack a byte at a time, copying it
// again with a NUL, and computing its value on the way, which the handler does not use. A plain
// number is handed over as it stands in the input instead; any other goes to the reader's own
// code (instantiated with kParseFullPrecisionFlag, which changes nothing when numbers are read as
// text: one copy for both specialisations). Not in the browser's lean variants, compiled for size:
// +134 B gzip of `score`; anomaly.score takes 14 % fewer instructions with it (docs/edge.md, "Session 13").
#define FLK_PARSE_NUMBER(flags)                                                                                    \
  template <>                                                                                                      \
  template <>                                                                                                      \
  void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ParseNumber<flags, flk::json::TextStream, flk::json::Builder>( \
      flk::json::TextStream & is, flk::json::Builder & handler) {                                                  \
    const size_t n = flk::json::plain_number_length(is.src_, is.end_);                                            \
    if (n == 0) return ParseNumber<flk::json::kFlags | kParseFullPrecisionFlag>(is, handler);                     \
    const size_t start = is.Tell();                                                                                \
    const char* text = is.src_;                                                                                    \
    is.src_ += n;                                                                                                  \
    if (RAPIDJSON_UNLIKELY(!handler.RawNumber(text, static_cast<SizeType>(n), false)))                             \
      RAPIDJSON_PARSE_ERROR(kParseErrorTermination, start);                                                        \
  }
FLK_PARSE_NUMBER(flk::json::kFlags)
FLK_PARSE_NUMBER(flk::json::kFlags | kParseValidateEncodingFlag)
#undef FLK_PARSE_NUMBER
RAPIDJSON_NAMESPACE_END
#endif

namespace flk::json {

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error("too_large", "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                                       std::to_string(limits.max_bytes));
  Builder b(limits);
  TextStream ms(text.data(), text.size());
  rapidjson::Reader reader;
  // Text checked as UTF-8 here (a word at a time) is read without RapidJSON's byte-by-byte
  // check, with the same result; other text gets that check, for its error and offset.
  rapidjson::ParseResult r = valid_utf8(text) ? reader.Parse<kFlags>(ms, b)
                                              : reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(ms, b);
  if (b.failed) return b.error;
  if (r.IsError())
    return make_error("bad_json", std::string(rapidjson::GetParseError_En(r.Code())) + " at offset " +
                                      std::to_string(r.Offset()));
  return std::move(b.root);
}

}  // namespace flk::json
