#include "json/parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

namespace flk::json {
namespace {

// SAX handler that builds a Value tree and enforces the limits.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  explicit Builder(size_t max_depth) : max_depth_(max_depth) {}

  bool Null() { return add(Value()); }
  bool Bool(bool b) { return add(Value(b)); }
  bool Int(int i) { return add(Value(static_cast<int64_t>(i))); }
  bool Uint(unsigned u) { return add(Value(static_cast<int64_t>(u))); }
  bool Int64(int64_t i) { return add(Value(i)); }
  bool Uint64(uint64_t u) {
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return add(Value(static_cast<int64_t>(u)));
    return add(Value(static_cast<double>(u)));
  }
  // RapidJSON 1.1.0 reads "1e-324" as NaN (its full-precision path fails at the bottom of the
  // subnormal range; found by tests/fuzz): a number must never come out non-finite.
  bool Double(double d) {
    if (!std::isfinite(d)) return fail("bad_json", "a number the parser cannot represent");
    return add(Value(d));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) { return add(Value(std::string_view(s, n))); }
  bool StartObject() { return open(Value::object()); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    Frame& f = stack_.back();
    f.key.assign(s, n);
    if (!f.keys.insert(f.key).second) return fail("duplicate_key", "duplicate key \"" + f.key + "\"");
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
    std::unordered_set<std::string> keys;  // duplicate detection in O(1) per key
  };

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
  bool add(Value v) {
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Frame& top = stack_.back();
    if (top.value.is_object()) top.value.as_object().emplace_back(std::move(top.key), std::move(v));
    else top.value.push(std::move(v));
    return true;
  }
  bool open(Value v) {
    if (stack_.size() >= max_depth_)
      return fail("too_deep", "nesting deeper than " + std::to_string(ParseLimits{}.max_depth) + " levels");
    stack_.push_back(Frame{std::move(v), {}, {}});
    return true;
  }
  bool close() {
    Value v = std::move(stack_.back().value);
    stack_.pop_back();
    return add(std::move(v));
  }

  size_t max_depth_;
  std::vector<Frame> stack_;
};

}  // namespace

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error("too_large", "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                                       std::to_string(limits.max_bytes));
  Builder b(limits.max_depth);
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseIterativeFlag;
  rapidjson::ParseResult r = reader.Parse<kFlags>(ms, b);
  if (b.failed) return b.error;
  if (r.IsError())
    return make_error("bad_json", std::string(rapidjson::GetParseError_En(r.Code())) + " at offset " +
                                      std::to_string(r.Offset()));
  return std::move(b.root);
}

}  // namespace flk::json
