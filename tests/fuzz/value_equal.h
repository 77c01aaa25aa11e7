// Equality of two parsed values for the parser harnesses: doubles by their bits, objects by key
// (keys are unique: the parsers refuse duplicates), member order aside.
#pragma once
#include <cstring>

#include "json/value.h"

inline bool same_value(const flk::json::Value& a, const flk::json::Value& b) {
  using flk::json::Type;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Null: return true;
    case Type::Bool: return a.as_bool() == b.as_bool();
    case Type::Int: return a.as_int() == b.as_int();
    case Type::Double: {
      const double x = a.as_double(), y = b.as_double();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Type::String: return a.as_string() == b.as_string();
    case Type::Array: {
      if (a.as_array().size() != b.as_array().size()) return false;
      for (size_t i = 0; i < a.as_array().size(); ++i)
        if (!same_value(a.as_array()[i], b.as_array()[i])) return false;
      return true;
    }
    case Type::Object: {
      if (a.as_object().size() != b.as_object().size()) return false;
      for (const auto& m : a.as_object()) {
        const flk::json::Value* other = b.find(m.first);
        if (!other || !same_value(m.second, *other)) return false;
      }
      return true;
    }
  }
  return false;
}
