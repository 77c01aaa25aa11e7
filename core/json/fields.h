// Typed, strict reading of JSON objects. Every error names the field's path ("$.N_j.8").
// An ObjectReader remembers which keys were read; finish() rejects the rest as unknown_field
// (with a hint when only the letter case differs). Error codes: missing_field, wrong_type,
// out_of_range, too_large, unknown_field, bad_encoding, bad_length, conflicting_fields.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::json {

// Bounds applied to every array read through this file unless a caller asks for less.
constexpr size_t kMaxArrayItems = 1u << 22;

struct Range {
  double min = -1.7976931348623157e308;
  double max = 1.7976931348623157e308;
};

std::string join_path(std::string_view base, std::string_view key);
std::string index_path(std::string_view base, size_t i);

// Where a value sits, kept as its parts: a whole path, an object's path and a key, or an array's
// path and an index. str() builds the string, which only an error needs: a path is an allocation
// in the wasm builds past libc++'s 10 inline bytes, and most reads succeed. The parts are views:
// a PathRef lives no longer than the call it is passed to.
class PathRef {
 public:
  PathRef(const char* path) : base_(path) {}
  PathRef(std::string_view path) : base_(path) {}
  PathRef(const std::string& path) : base_(path) {}
  PathRef(std::string_view object, std::string_view key) : base_(object), key_(key), kind_(kKey) {}
  PathRef(const PathRef& array, size_t index) : array_(&array), index_(index), kind_(kIndex) {}
  std::string str() const;

 private:
  std::string_view base_, key_;
  const PathRef* array_ = nullptr;
  size_t index_ = 0;
  enum { kWhole, kKey, kIndex } kind_ = kWhole;
};

Error wrong_type(std::string_view path, const char* expected, const Value& got);

// Whole-value readers (path = where v sits).
constexpr size_t kMaxStringBytes = 1u << 26;
Result<std::string> read_string(const Value& v, const PathRef& path, size_t max_len = kMaxStringBytes);
Result<int64_t> read_int(const Value& v, const PathRef& path, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
Result<double> read_number(const Value& v, const PathRef& path, Range r = {});
// read_number without a path: true with *out set, or false (read_number then gives the error). For
// the items of large arrays, whose paths cost more to build than their numbers to read.
bool try_number(const Value& v, Range r, double* out);
Result<bool> read_bool(const Value& v, const PathRef& path);
Result<std::vector<double>> read_numbers(const Value& v, const PathRef& path, size_t max_items = kMaxArrayItems,
                                         Range r = {});
Result<std::vector<int64_t>> read_ints(const Value& v, const PathRef& path, size_t max_items = kMaxArrayItems,
                                       int64_t min = INT64_MIN, int64_t max = INT64_MAX);
// Rows of equal width (a point cloud or a feature matrix).
Result<std::vector<std::vector<double>>> read_matrix(const Value& v, const PathRef& path, size_t max_rows,
                                                     size_t max_cols);

// A name a string field may hold and the value it stands for.
template <class T>
struct Choice {
  std::string_view name;
  T value;
};

// out_of_range at path: "<path> must be a, b or c".
Error not_a_choice(std::string_view path, const std::vector<std::string_view>& names);
template <class T>
Error not_a_choice(std::string_view path, std::initializer_list<Choice<T>> choices) {
  std::vector<std::string_view> names;
  for (const Choice<T>& c : choices) names.push_back(c.name);
  return not_a_choice(path, names);
}

class ObjectReader {
 public:
  // Fails with wrong_type unless v is an object.
  static Result<ObjectReader> open(const Value& v, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return join_path(path_, key); }

  const Value* optional(std::string_view key);
  Result<const Value*> required(std::string_view key);

  Result<std::string> string(std::string_view key, size_t max_len = kMaxStringBytes);
  Result<std::optional<std::string>> opt_string(std::string_view key, size_t max_len = kMaxStringBytes);
  Result<int64_t> integer(std::string_view key, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  Result<std::optional<int64_t>> opt_integer(std::string_view key, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  Result<double> number(std::string_view key, Range r = {});
  Result<std::optional<double>> opt_number(std::string_view key, Range r = {});
  Result<bool> boolean(std::string_view key);
  Result<std::optional<bool>> opt_boolean(std::string_view key);

  // A string that must be one of the choices' names (at most 64 bytes): its value, or
  // out_of_range listing the names.
  template <class T>
  Result<T> choice(std::string_view key, std::initializer_list<Choice<T>> choices) {
    FLK_ASSIGN(std::string s, string(key, kMaxChoiceBytes));
    for (const Choice<T>& c : choices)
      if (s == c.name) return c.value;
    return not_a_choice(path_of(key), choices);
  }
  template <class T>
  Result<std::optional<T>> opt_choice(std::string_view key, std::initializer_list<Choice<T>> choices) {
    if (!optional(key)) return std::optional<T>();
    FLK_ASSIGN(T v, choice(key, choices));
    return std::optional<T>(v);
  }

  // Binary input given as exactly one of <stem>_text (UTF-8), <stem>_hex or <stem>_b64.
  // With required=false, returns nullopt when none is present.
  Result<std::optional<crypto::Bytes>> opt_bytes(std::string_view stem, bool allow_text = true);
  Result<crypto::Bytes> bytes(std::string_view stem, bool allow_text = true);

  // Rejects every key that was not read.
  Status finish() const;

 private:
  static constexpr size_t kMaxChoiceBytes = 64;
  ObjectReader(const Value& v, std::string path) : v_(&v), path_(std::move(path)) {}
  const Value* v_;
  std::string path_;
  std::vector<std::string_view> seen_;
};

}  // namespace flk::json
