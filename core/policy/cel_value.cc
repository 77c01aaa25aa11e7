#include "policy/cel_value.h"

#include <algorithm>
#include <cmath>

#include "json/fields.h"

namespace flk::policy::cel {

Value Value::boolean(bool v) {
  Value x;
  x.kind = Kind::Bool;
  x.b = v;
  return x;
}
Value Value::integer(int64_t v) {
  Value x;
  x.kind = Kind::Int;
  x.i = v;
  return x;
}
Value Value::uinteger(uint64_t v) {
  Value x;
  x.kind = Kind::Uint;
  x.u = v;
  return x;
}
Value Value::dbl(double v) {
  Value x;
  x.kind = Kind::Double;
  x.d = v;
  return x;
}
Value Value::str(std::string v) {
  Value x;
  x.kind = Kind::String;
  x.s = std::move(v);
  return x;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Null: return "null_type";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Uint: return "uint";
    case Kind::Double: return "double";
    case Kind::String: return "string";
    case Kind::List: return "list";
    case Kind::Map: return "map";
  }
  return "?";
}

namespace {

bool is_number(Kind k) { return k == Kind::Int || k == Kind::Uint || k == Kind::Double; }

int sign_of(bool less, bool greater) { return less ? -1 : greater ? 1 : 0; }

// int or uint against a double: the integer converted to double first, as CEL's reference
// implementations do (so 2^63 - 1 is not less than 2^63 as a double).
int cmp_int_double(int64_t i, double d) {
  double x = static_cast<double>(i);
  return sign_of(x < d, x > d);
}

int cmp_uint_double(uint64_t u, double d) {
  double x = static_cast<double>(u);
  return sign_of(x < d, x > d);
}

// Numbers of any kinds; false when a NaN makes them unordered.
bool cmp_numbers(const Value& a, const Value& b, int& out) {
  if ((a.kind == Kind::Double && std::isnan(a.d)) || (b.kind == Kind::Double && std::isnan(b.d))) return false;
  if (a.kind == Kind::Int && b.kind == Kind::Int) out = sign_of(a.i < b.i, a.i > b.i);
  else if (a.kind == Kind::Uint && b.kind == Kind::Uint) out = sign_of(a.u < b.u, a.u > b.u);
  else if (a.kind == Kind::Double && b.kind == Kind::Double) out = sign_of(a.d < b.d, a.d > b.d);
  else if (a.kind == Kind::Int && b.kind == Kind::Uint)
    out = a.i < 0 ? -1 : sign_of(uint64_t(a.i) < b.u, uint64_t(a.i) > b.u);
  else if (a.kind == Kind::Uint && b.kind == Kind::Int)
    out = b.i < 0 ? 1 : sign_of(a.u < uint64_t(b.i), a.u > uint64_t(b.i));
  else if (a.kind == Kind::Int) out = cmp_int_double(a.i, b.d);
  else if (a.kind == Kind::Uint) out = cmp_uint_double(a.u, b.d);
  else if (b.kind == Kind::Int) out = -cmp_int_double(b.i, a.d);
  else out = -cmp_uint_double(b.u, a.d);
  return true;
}

}  // namespace

bool equal(const Value& a, const Value& b) {
  if (is_number(a.kind) && is_number(b.kind)) {
    int c = 0;
    return cmp_numbers(a, b, c) && c == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::Null: return true;
    case Kind::Bool: return a.b == b.b;
    case Kind::String: return a.s == b.s;
    case Kind::List:
      if (a.items.size() != b.items.size()) return false;
      for (size_t k = 0; k < a.items.size(); ++k)
        if (!equal(a.items[k], b.items[k])) return false;
      return true;
    case Kind::Map:
      if (a.items.size() != b.items.size()) return false;
      for (size_t k = 0; k < a.items.size(); k += 2) {
        const Value* v = map_find(b, a.items[k]);
        if (!v || !equal(a.items[k + 1], *v)) return false;
      }
      return true;
    default: return false;
  }
}

bool compare(const Value& a, const Value& b, int& out) {
  if (is_number(a.kind) && is_number(b.kind)) return cmp_numbers(a, b, out);
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::String) out = a.s.compare(b.s) < 0 ? -1 : a.s == b.s ? 0 : 1;
  else if (a.kind == Kind::Bool) out = sign_of(!a.b && b.b, a.b && !b.b);
  else return false;
  return true;
}

const Value* map_find(const Value& m, const Value& key) {
  for (size_t k = 0; k < m.items.size(); k += 2)
    if (equal(m.items[k], key)) return &m.items[k + 1];
  return nullptr;
}

Value from_json(const json::Value& v) {
  switch (v.type()) {
    case json::Type::Null: return Value();
    case json::Type::Bool: return Value::boolean(v.as_bool());
    case json::Type::Int: return Value::integer(v.as_int());
    case json::Type::Double: return Value::dbl(v.as_double());
    case json::Type::String: return Value::str(v.as_string());
    case json::Type::Array: {
      Value out;
      out.kind = Kind::List;
      for (const json::Value& e : v.as_array()) out.items.push_back(from_json(e));
      return out;
    }
    case json::Type::Object: {
      Value out;
      out.kind = Kind::Map;
      for (const auto& m : v.as_object()) {
        out.items.push_back(Value::str(m.first));
        out.items.push_back(from_json(m.second));
      }
      return out;
    }
  }
  return Value();
}

namespace {

Result<double> tagged_double(const json::Value& v, const std::string& path) {
  if (v.is_number()) return v.as_double();
  if (v.is_string()) {
    if (v.as_string() == "NaN") return std::nan("");
    if (v.as_string() == "Infinity") return HUGE_VAL;
    if (v.as_string() == "-Infinity") return -HUGE_VAL;
  }
  return json::wrong_type(path, "a number, NaN, Infinity or -Infinity", v);
}

Result<uint64_t> tagged_uint(const json::Value& v, const std::string& path) {
  if (v.is_int() && v.as_int() >= 0) return uint64_t(v.as_int());
  if (!v.is_string() || v.as_string().empty() || v.as_string().size() > 20)
    return json::wrong_type(path, "a uint64 in decimal", v);
  uint64_t u = 0;
  for (char c : v.as_string()) {
    if (c < '0' || c > '9' || u > (UINT64_MAX - uint64_t(c - '0')) / 10)
      return make_error("out_of_range", path + ": not a uint64", path);
    u = u * 10 + uint64_t(c - '0');
  }
  return u;
}

Result<int64_t> tagged_int(const json::Value& v, const std::string& path) {
  if (v.is_int()) return v.as_int();
  if (!v.is_string()) return json::wrong_type(path, "an int64 in decimal", v);
  const std::string& s = v.as_string();
  bool neg = !s.empty() && s[0] == '-';
  FLK_ASSIGN(uint64_t mag, tagged_uint(json::Value(s.substr(neg ? 1 : 0)), path));
  if (mag > (neg ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX)))
    return make_error("out_of_range", path + ": not an int64", path);
  return neg ? int64_t(0 - mag) : int64_t(mag);
}

constexpr int kMaxTaggedDepth = 32;

}  // namespace

Result<Value> from_tagged(const json::Value& v, const std::string& path, int depth) {
  if (depth > kMaxTaggedDepth) return make_error("too_deep", path + ": values nest deeper than 32", path);
  if (!v.is_object() || v.as_object().size() != 1)
    return make_error("wrong_type", path + ": a value is an object with one tag (int64Value, stringValue, ...)", path);
  const std::string& tag = v.as_object()[0].first;
  const json::Value& x = v.as_object()[0].second;
  std::string p = json::join_path(path, tag);
  if (tag == "nullValue") return Value();
  if (tag == "boolValue") {
    FLK_ASSIGN(bool b, json::read_bool(x, p));
    return Value::boolean(b);
  }
  if (tag == "int64Value") {
    FLK_ASSIGN(int64_t i, tagged_int(x, p));
    return Value::integer(i);
  }
  if (tag == "uint64Value") {
    FLK_ASSIGN(uint64_t u, tagged_uint(x, p));
    return Value::uinteger(u);
  }
  if (tag == "doubleValue") {
    FLK_ASSIGN(double d, tagged_double(x, p));
    return Value::dbl(d);
  }
  if (tag == "stringValue") {
    FLK_ASSIGN(std::string s, json::read_string(x, p, 1u << 20));
    return Value::str(std::move(s));
  }
  if (tag == "listValue" || tag == "mapValue") {
    bool list = tag == "listValue";
    Value out;
    out.kind = list ? Kind::List : Kind::Map;
    const json::Value* arr = x.find(list ? "values" : "entries");
    if (!arr) return out;
    std::string ap = json::join_path(p, list ? "values" : "entries");
    if (!arr->is_array()) return json::wrong_type(ap, "an array", *arr);
    if (arr->as_array().size() > 4096) return make_error("too_large", ap + ": at most 4096 items", ap);
    for (size_t k = 0; k < arr->as_array().size(); ++k) {
      std::string ep = json::index_path(ap, k);
      const json::Value& e = arr->as_array()[k];
      if (list) {
        FLK_ASSIGN(Value item, from_tagged(e, ep, depth + 1));
        out.items.push_back(std::move(item));
        continue;
      }
      const json::Value* key = e.find("key");
      const json::Value* val = e.find("value");
      if (!key || !val) return make_error("missing_field", ep + ": an entry has key and value", ep);
      FLK_ASSIGN(Value kv, from_tagged(*key, json::join_path(ep, "key"), depth + 1));
      FLK_ASSIGN(Value vv, from_tagged(*val, json::join_path(ep, "value"), depth + 1));
      out.items.push_back(std::move(kv));
      out.items.push_back(std::move(vv));
    }
    return out;
  }
  return make_error("unsupported", p + ": values of this kind are outside the CEL subset", p);
}

json::Value to_tagged(const Value& v) {
  json::Value out = json::Value::object();
  switch (v.kind) {
    case Kind::Null: return out.set("nullValue", nullptr);
    case Kind::Bool: return out.set("boolValue", v.b);
    case Kind::Int: return out.set("int64Value", std::to_string(v.i));
    case Kind::Uint: return out.set("uint64Value", std::to_string(v.u));
    case Kind::Double:
      if (std::isnan(v.d)) return out.set("doubleValue", "NaN");
      if (std::isinf(v.d)) return out.set("doubleValue", v.d > 0 ? "Infinity" : "-Infinity");
      return out.set("doubleValue", v.d);
    case Kind::String: return out.set("stringValue", v.s);
    case Kind::List: {
      json::Value values = json::Value::array();
      for (const Value& e : v.items) values.push(to_tagged(e));
      return out.set("listValue", json::Value::object().set("values", std::move(values)));
    }
    case Kind::Map: {
      json::Value entries = json::Value::array();
      for (size_t k = 0; k < v.items.size(); k += 2)
        entries.push(json::Value::object().set("key", to_tagged(v.items[k])).set("value", to_tagged(v.items[k + 1])));
      return out.set("mapValue", json::Value::object().set("entries", std::move(entries)));
    }
  }
  return out;
}

int tagged_depth(const Value& v) {
  if (v.kind != Kind::List && v.kind != Kind::Map) return 1;
  int deepest = 0;
  for (const Value& e : v.items) deepest = std::max(deepest, tagged_depth(e));
  return (v.kind == Kind::List ? 3 : 4) + deepest;
}

}  // namespace flk::policy::cel
