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

  Value() : i_(0) {}
  Value(std::nullptr_t) : i_(0) {}
  Value(bool b) : type_(Type::Bool), b_(b) {}
  Value(int i) : type_(Type::Int), i_(i) {}
  Value(int64_t i) : type_(Type::Int), i_(i) {}
  Value(uint32_t i) : type_(Type::Int), i_(i) {}
  Value(double d) : type_(Type::Double), d_(d) {}
  Value(std::string s) : type_(Type::String), s_(std::move(s)) {}
  Value(std::string_view s) : type_(Type::String), s_(s) {}
  Value(const char* s) : type_(Type::String), s_(s) {}
  Value(Array a) : type_(Type::Array), a_(std::move(a)) {}
  Value(const Value& o);
  Value(Value&& o) noexcept;
  Value& operator=(const Value& o);
  Value& operator=(Value&& o) noexcept;
  ~Value() { destroy(); }

  static Value object();
  static Value array() { return Value(Array()); }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_int() const { return type_ == Type::Int; }
  bool is_number() const { return type_ == Type::Int || type_ == Type::Double; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }

  // Each reader answers its type's empty value (false, 0, "", []) for a value of another type.
  bool as_bool() const { return type_ == Type::Bool && b_; }
  int64_t as_int() const { return type_ == Type::Int ? i_ : 0; }
  // Numeric value of an Int or Double.
  double as_double() const { return type_ == Type::Int ? static_cast<double>(i_) : type_ == Type::Double ? d_ : 0; }
  const std::string& as_string() const;
  const Array& as_array() const;
  const Object& as_object() const;
  // The mutable views turn a value of another type into an empty array or object first.
  Array& as_array();
  Object& as_object();

  // Object access. find() returns nullptr when absent (or when this is not an object).
  const Value* find(std::string_view key) const;
  // Sets or replaces a member (an object first, see as_object); returns *this for chaining.
  Value& set(std::string key, Value v);
  // Appends to an array (an array first, see as_array).
  Value& push(Value v);

 private:
  void destroy();
  void copy_from(const Value& o);
  void copy_scalar(const Value& o);
  void move_from(Value& o);

  // One payload at a time: a node is 40 bytes on 64-bit hosts, not the 104 of separate members,
  // which is what a large parsed input costs per value.
  Type type_ = Type::Null;
  union {
    bool b_;
    int64_t i_;
    double d_;
    std::string s_;
    Array a_;
    Object o_;
  };
};

// Whether two values are the same JSON: doubles by their bits, objects by key (keys are unique in
// parsed input), member order aside.
bool equal(const Value& a, const Value& b);

// Where the first non-finite number in v sits, as a path from `base` ("$.scores[3]"), or ""
// when every number is finite. Outputs are checked with it before any host writes them.
std::string non_finite_path(const Value& v, const std::string& base = "$");

}  // namespace flk::json
