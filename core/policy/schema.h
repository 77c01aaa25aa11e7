// The shape of policy documents as data: one table of fields per object, read by the validator
// (errors at the exact path, unknown keys refused) and by the JSON Schema writer, so the schema
// published in docs/policy.schema.json cannot drift from what the core accepts.
#pragma once
#include <cstddef>
#include <string>

#include "json/value.h"
#include "util/result.h"

namespace flk::policy {

enum class FieldType {
  String,   // max_len bytes; with `names`, lowercase letters, digits, '-', '_' and '.' only
  Enum,     // one of `values`
  Integer,  // in [min, max]
  Number,   // in [min, max]
  Boolean,
  Cel,      // an expression of the CEL subset, compiled (and its cost checked) at load
  Object,   // the fields of `object`
  Array,    // 1..max_items (0.. when min_items is 0) items of type `item`
  Map,      // up to max_items keys (`names` rules) mapping to `item`
};

struct Shape;

struct Field {
  const char* name;
  bool required;
  const Shape* shape;
  const char* doc;
};

struct Shape {
  FieldType type;
  const char* const* values = nullptr;  // Enum: nullptr-terminated
  double min = 0, max = 0;              // Integer, Number
  size_t max_len = 0;                   // String, Cel
  bool names = false;                   // String, Map keys
  const Field* fields = nullptr;        // Object: `count` fields
  size_t count = 0;
  const Shape* item = nullptr;          // Array, Map
  size_t min_items = 0, max_items = 0;  // Array, Map
};

// Checks v against shape; the first error names its path. Cel fields are compiled.
Status check(const Shape& shape, const json::Value& v, const std::string& path);

// The JSON Schema (draft 2020-12) of shape.
json::Value json_schema(const Shape& shape);

}  // namespace flk::policy
