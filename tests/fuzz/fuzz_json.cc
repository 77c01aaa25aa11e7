// The JSON parser and the canonical writer. Properties: the parser never crashes; a parsed value
// writes to text that parses back to an equal value (object member order aside) and writes to
// the same bytes again (parse -> write is idempotent on its own output).
#include <cstring>
#include <string_view>

#include "check.h"
#include "json/parse.h"
#include "json/write.h"

namespace {

using flk::json::Type;
using flk::json::Value;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool equal(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Null: return true;
    case Type::Bool: return a.as_bool() == b.as_bool();
    case Type::Int: return a.as_int() == b.as_int();
    case Type::Double: return same_bits(a.as_double(), b.as_double());
    case Type::String: return a.as_string() == b.as_string();
    case Type::Array: {
      if (a.as_array().size() != b.as_array().size()) return false;
      for (size_t i = 0; i < a.as_array().size(); ++i)
        if (!equal(a.as_array()[i], b.as_array()[i])) return false;
      return true;
    }
    case Type::Object: {
      if (a.as_object().size() != b.as_object().size()) return false;
      for (const auto& m : a.as_object()) {
        const Value* other = b.find(m.first);  // keys are unique: the parser refuses duplicates
        if (!other || !equal(m.second, *other)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto first = flk::json::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!first.ok()) return 0;
  std::string text;
  FUZZ_CHECK(flk::json::write(first.value(), text));  // the parser admits no non-finite number
  auto second = flk::json::parse(text);
  FUZZ_CHECK(second.ok());
  FUZZ_CHECK(equal(first.value(), second.value()));
  std::string again;
  FUZZ_CHECK(flk::json::write(second.value(), again));
  FUZZ_CHECK(again == text);
  return 0;
}
