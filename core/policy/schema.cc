#include "policy/schema.h"

#include <algorithm>

#include "json/fields.h"
#include "policy/cel.h"

namespace flk::policy {
namespace {

bool is_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

Status check_name(const std::string& s, const std::string& path) {
  if (is_name(s)) return Ok{};
  return make_error("bad_format", path + ": lowercase letters, digits, '-', '_' and '.' only", path);
}

std::string enum_list(const char* const* values) {
  std::string out;
  for (const char* const* v = values; *v; ++v) out += std::string(out.empty() ? "" : ", ") + *v;
  return out;
}

Status check_object(const Shape& shape, const json::Value& v, const std::string& path) {
  if (!v.is_object()) return json::wrong_type(path, "an object", v);
  for (size_t k = 0; k < shape.count; ++k) {
    const Field& f = shape.fields[k];
    const json::Value* x = v.find(f.name);
    if (!x) {
      if (f.required) return make_error("missing_field", json::join_path(path, f.name) + " is required", json::join_path(path, f.name));
      continue;
    }
    FLK_TRY(check(*f.shape, *x, json::join_path(path, f.name)));
  }
  for (const auto& m : v.as_object()) {
    bool known = std::any_of(shape.fields, shape.fields + shape.count, [&](const Field& f) { return m.first == f.name; });
    if (!known) return make_error("unknown_field", json::join_path(path, m.first) + " is not a field here", json::join_path(path, m.first));
  }
  return Ok{};
}

}  // namespace

Status check(const Shape& shape, const json::Value& v, const std::string& path) {
  switch (shape.type) {
    case FieldType::String: {
      FLK_ASSIGN(std::string s, json::read_string(v, path, shape.max_len));
      if (shape.names) FLK_TRY(check_name(s, path));
      return Ok{};
    }
    case FieldType::Enum: {
      FLK_ASSIGN(std::string s, json::read_string(v, path, 64));
      for (const char* const* e = shape.values; *e; ++e)
        if (s == *e) return Ok{};
      return make_error("out_of_range", path + " must be one of " + enum_list(shape.values), path);
    }
    case FieldType::Integer: {
      FLK_ASSIGN(int64_t i, json::read_int(v, path, int64_t(shape.min), int64_t(shape.max)));
      (void)i;
      return Ok{};
    }
    case FieldType::Number: {
      FLK_ASSIGN(double d, json::read_number(v, path, {shape.min, shape.max}));
      (void)d;
      return Ok{};
    }
    case FieldType::Boolean: {
      FLK_ASSIGN(bool b, json::read_bool(v, path));
      (void)b;
      return Ok{};
    }
    case FieldType::Cel: {
      FLK_ASSIGN(std::string s, json::read_string(v, path, shape.max_len));
      FLK_ASSIGN(cel::Program p, cel::compile(s, path));
      (void)p;
      return Ok{};
    }
    case FieldType::Object: return check_object(shape, v, path);
    case FieldType::Array: {
      if (!v.is_array()) return json::wrong_type(path, "an array", v);
      size_t n = v.as_array().size();
      if (n < shape.min_items || n > shape.max_items)
        return make_error("bad_length", path + " must have " + std::to_string(shape.min_items) + " to " +
                                            std::to_string(shape.max_items) + " items", path);
      for (size_t k = 0; k < n; ++k) FLK_TRY(check(*shape.item, v.as_array()[k], json::index_path(path, k)));
      return Ok{};
    }
    case FieldType::Map: {
      if (!v.is_object()) return json::wrong_type(path, "an object", v);
      if (v.as_object().size() > shape.max_items)
        return make_error("too_large", path + ": at most " + std::to_string(shape.max_items) + " keys", path);
      for (const auto& m : v.as_object()) {
        std::string p = json::join_path(path, m.first);
        if (shape.names) FLK_TRY(check_name(m.first, p));
        FLK_TRY(check(*shape.item, m.second, p));
      }
      return Ok{};
    }
  }
  return Ok{};
}

json::Value json_schema(const Shape& shape) {
  json::Value s = json::Value::object();
  switch (shape.type) {
    case FieldType::String:
      s.set("type", "string").set("maxLength", int64_t(shape.max_len));
      if (shape.names) s.set("pattern", "^[a-z0-9_.-]+$");
      return s;
    case FieldType::Enum: {
      json::Value e = json::Value::array();
      for (const char* const* v = shape.values; *v; ++v) e.push(*v);
      return s.set("enum", std::move(e));
    }
    case FieldType::Integer: return s.set("type", "integer").set("minimum", int64_t(shape.min)).set("maximum", int64_t(shape.max));
    case FieldType::Number: return s.set("type", "number").set("minimum", shape.min).set("maximum", shape.max);
    case FieldType::Boolean: return s.set("type", "boolean");
    case FieldType::Cel:
      return s.set("type", "string")
          .set("maxLength", int64_t(shape.max_len))
          .set("description", "an expression of the CEL subset of docs/policy.md");
    case FieldType::Object: {
      json::Value props = json::Value::object();
      json::Value req = json::Value::array();
      for (size_t k = 0; k < shape.count; ++k) {
        json::Value f = json_schema(*shape.fields[k].shape);
        f.set("description", shape.fields[k].doc);
        props.set(shape.fields[k].name, std::move(f));
        if (shape.fields[k].required) req.push(shape.fields[k].name);
      }
      s.set("type", "object").set("additionalProperties", false).set("properties", std::move(props));
      if (!req.as_array().empty()) s.set("required", std::move(req));
      return s;
    }
    case FieldType::Array:
      return s.set("type", "array")
          .set("minItems", int64_t(shape.min_items))
          .set("maxItems", int64_t(shape.max_items))
          .set("items", json_schema(*shape.item));
    case FieldType::Map: {
      s.set("type", "object").set("maxProperties", int64_t(shape.max_items)).set("additionalProperties", json_schema(*shape.item));
      if (shape.names) s.set("propertyNames", json::Value::object().set("pattern", "^[a-z0-9_.-]+$"));
      return s;
    }
  }
  return s;
}

}  // namespace flk::policy
