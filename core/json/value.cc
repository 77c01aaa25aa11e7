#include "json/value.h"

namespace flk::json {

const char* type_name(Type t) {
  switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "boolean";
    case Type::Int: return "integer";
    case Type::Double: return "number";
    case Type::String: return "string";
    case Type::Array: return "array";
    case Type::Object: return "object";
  }
  return "?";
}

const Value* Value::find(std::string_view key) const {
  for (const auto& m : o_)
    if (m.first == key) return &m.second;
  return nullptr;
}

Value& Value::set(std::string key, Value v) {
  for (auto& m : o_)
    if (m.first == key) {
      m.second = std::move(v);
      return *this;
    }
  o_.emplace_back(std::move(key), std::move(v));
  return *this;
}

Value& Value::push(Value v) {
  a_.push_back(std::move(v));
  return *this;
}

}  // namespace flk::json
