// Values of the CEL subset (docs/policy.md, "Expressions"): null, bool, int (int64), uint
// (uint64), double, string, list and map. Maps keep insertion order; keys are bool, int, uint or
// string. Values are plain trees: an expression never aliases its inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk::policy::cel {

enum class Kind { Null, Bool, Int, Uint, Double, String, List, Map };

struct Value {
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string s;
  std::vector<Value> items;  // list elements, or map keys and values interleaved (k0, v0, k1, v1, ...)

  static Value boolean(bool v);
  static Value integer(int64_t v);
  static Value uinteger(uint64_t v);
  static Value dbl(double v);
  static Value str(std::string v);
  size_t map_size() const { return items.size() / 2; }
};

const char* kind_name(Kind k);

// CEL equality: numbers compare across int, uint and double by value; lists and maps by content;
// values of other differing kinds are unequal.
bool equal(const Value& a, const Value& b);
// Ordering for <, <=, >, >=: -1, 0 or 1; false when the kinds have no ordering (an error in CEL).
bool compare(const Value& a, const Value& b, int& out);
// The map value under key, or nullptr.
const Value* map_find(const Value& m, const Value& key);

// Plain JSON (request attributes) to CEL: integers are int, other numbers double, arrays lists,
// objects maps with string keys.
Value from_json(const json::Value& v);

// The tagged form of cel.expr.Value in proto3 JSON ({"int64Value": "1"}, {"listValue": {...}}), which
// the conformance suite uses for bindings and expected results.
Result<Value> from_tagged(const json::Value& v, const std::string& path, int depth = 0);
json::Value to_tagged(const Value& v);
// The nesting of to_tagged(v) in JSON levels (objects and arrays): 1 for a scalar, 3 more per list
// and 4 more per map around the deepest item.
int tagged_depth(const Value& v);

}  // namespace flk::policy::cel
