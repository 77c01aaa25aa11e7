// A small JSON value tree used for every input and output of the facade.
// Objects keep insertion order; the writer (json/write.h) emits keys in code-point order,
// so "keys ordered by one routine" holds for every output.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flk::json {

enum class Type { Null, Bool, Int, Double, String, Array, Object };

const char* type_name(Type t);

class Value {
 public:
  using Array = std::vector<Value>;
  using Member = std::pair<std::string, Value>;
  using Object = std::vector<Member>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : type_(Type::Bool), b_(b) {}
  Value(int i) : type_(Type::Int), i_(i) {}
  Value(int64_t i) : type_(Type::Int), i_(i) {}
  Value(uint32_t i) : type_(Type::Int), i_(i) {}
  Value(double d) : type_(Type::Double), d_(d) {}
  Value(std::string s) : type_(Type::String), s_(std::move(s)) {}
  Value(std::string_view s) : type_(Type::String), s_(s) {}
  Value(const char* s) : type_(Type::String), s_(s) {}
  Value(Array a) : type_(Type::Array), a_(std::move(a)) {}

  static Value object() { Value v; v.type_ = Type::Object; return v; }
  static Value array() { Value v; v.type_ = Type::Array; return v; }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_int() const { return type_ == Type::Int; }
  bool is_number() const { return type_ == Type::Int || type_ == Type::Double; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  // Numeric value of an Int or Double.
  double as_double() const { return type_ == Type::Int ? static_cast<double>(i_) : d_; }
  const std::string& as_string() const { return s_; }
  const Array& as_array() const { return a_; }
  Array& as_array() { return a_; }
  const Object& as_object() const { return o_; }
  Object& as_object() { return o_; }

  // Object access. find() returns nullptr when absent.
  const Value* find(std::string_view key) const;
  // Sets or replaces a member; returns *this for chaining.
  Value& set(std::string key, Value v);
  // Appends to an array.
  Value& push(Value v);

 private:
  Type type_ = Type::Null;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  Array a_;
  Object o_;
};

}  // namespace flk::json
