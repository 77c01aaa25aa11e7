#include "json/value.h"

#include <cmath>
#include <cstring>
#include <new>

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

Value::Value(const Value& o) : i_(0) { copy_from(o); }
Value::Value(Value&& o) noexcept : i_(0) { move_from(o); }

Value& Value::operator=(const Value& o) {
  if (this != &o) {
    Value copy(o);  // o may live inside *this
    destroy();
    move_from(copy);
  }
  return *this;
}

Value& Value::operator=(Value&& o) noexcept {
  if (this != &o) {
    Value moved(std::move(o));  // o may live inside *this
    destroy();
    move_from(moved);
  }
  return *this;
}

void Value::destroy() {
  switch (type_) {
    case Type::String: s_.~basic_string(); break;
    case Type::Array: a_.~Array(); break;
    case Type::Object: o_.~Object(); break;
    default: break;
  }
  type_ = Type::Null;
  i_ = 0;
}

void Value::copy_scalar(const Value& o) {
  if (o.type_ == Type::Bool) b_ = o.b_;
  else if (o.type_ == Type::Double) d_ = o.d_;
  else i_ = o.i_;  // Int, or the 0 of Null
}

// Both take a *this that holds no payload (Null).
void Value::copy_from(const Value& o) {
  switch (o.type_) {
    case Type::String: new (&s_) std::string(o.s_); break;
    case Type::Array: new (&a_) Array(o.a_); break;
    case Type::Object: new (&o_) Object(o.o_); break;
    default: copy_scalar(o); break;
  }
  type_ = o.type_;
}

void Value::move_from(Value& o) {
  switch (o.type_) {
    case Type::String: new (&s_) std::string(std::move(o.s_)); break;
    case Type::Array: new (&a_) Array(std::move(o.a_)); break;
    case Type::Object: new (&o_) Object(std::move(o.o_)); break;
    default: copy_scalar(o); break;
  }
  type_ = o.type_;
  o.destroy();
}

Value Value::object() {
  Value v;
  new (&v.o_) Object();
  v.type_ = Type::Object;
  return v;
}

const std::string& Value::as_string() const {
  static const std::string kEmpty;
  return type_ == Type::String ? s_ : kEmpty;
}

const Value::Array& Value::as_array() const {
  static const Array kEmpty;
  return type_ == Type::Array ? a_ : kEmpty;
}

const Value::Object& Value::as_object() const {
  static const Object kEmpty;
  return type_ == Type::Object ? o_ : kEmpty;
}

Value::Array& Value::as_array() {
  if (type_ != Type::Array) *this = Value(Array());
  return a_;
}

Value::Object& Value::as_object() {
  if (type_ != Type::Object) *this = object();
  return o_;
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::Object) return nullptr;
  for (const auto& m : o_)
    if (m.first == key) return &m.second;
  return nullptr;
}

// Answers are built member by member and item by item: room for a few at first, instead of a
// growth step (an allocation and moving what is there) at 1, 2 and 4. The parser fits what it
// reads instead (json/parse.cc).
constexpr size_t kFirstMembers = 8, kFirstItems = 4;

Value& Value::set(std::string key, Value v) {
  Object& o = as_object();
  for (auto& m : o)
    if (m.first == key) {
      m.second = std::move(v);
      return *this;
    }
  if (o.empty()) o.reserve(kFirstMembers);
  o.emplace_back(std::move(key), std::move(v));
  return *this;
}

Value& Value::push(Value v) {
  Array& a = as_array();
  if (a.empty()) a.reserve(kFirstItems);
  a.push_back(std::move(v));
  return *this;
}

namespace {
// Whether v holds a non-finite number; if so, `path` holds the path to the first one below v. The
// path is built on the way back, so checking a finite answer (every call's) builds no strings.
bool find_non_finite(const Value& v, std::string& path) {
  switch (v.type()) {
    case Type::Double: return !std::isfinite(v.as_double());
    case Type::Array:
      for (size_t i = 0; i < v.as_array().size(); ++i)
        if (find_non_finite(v.as_array()[i], path)) {
          path.insert(0, "[" + std::to_string(i) + "]");
          return true;
        }
      return false;
    case Type::Object:
      for (const auto& m : v.as_object())
        if (find_non_finite(m.second, path)) {
          path.insert(0, "." + m.first);
          return true;
        }
      return false;
    default: return false;
  }
}
}  // namespace

std::string non_finite_path(const Value& v, const std::string& base) {
  std::string path;
  return find_non_finite(v, path) ? base + path : std::string();
}

bool equal(const Value& a, const Value& b) {
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
      const Value::Array &x = a.as_array(), &y = b.as_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!equal(x[i], y[i])) return false;
      return true;
    }
    case Type::Object: {
      if (a.as_object().size() != b.as_object().size()) return false;
      for (const auto& m : a.as_object()) {
        const Value* other = b.find(m.first);
        if (!other || !equal(m.second, *other)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace flk::json
