#include "json/fields.h"

#include <algorithm>
#include <cmath>

#include "json/number_format.h"
#include "util/ascii.h"

namespace flk::json {
namespace {

bool is_ident_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::string join_path(std::string_view base, std::string_view key) {
  std::string p(base);
  bool plain = !key.empty() && std::all_of(key.begin(), key.end(), is_ident_char);
  if (plain) {
    p += '.';
    p += key;
  } else {
    p += "[\"";
    p += key;
    p += "\"]";
  }
  return p;
}

std::string index_path(std::string_view base, size_t i) { return std::string(base) + "[" + std::to_string(i) + "]"; }

std::string PathRef::str() const {
  switch (kind_) {
    case kKey:
      return join_path(base_, key_);
    case kIndex:
      return index_path(array_->str(), index_);
    default:
      return std::string(base_);
  }
}

Error wrong_type(std::string_view path, const char* expected, const Value& got) {
  return make_error("wrong_type", std::string(path) + " must be " + expected + ", got " + type_name(got.type()),
                    std::string(path));
}

Error not_a_choice(std::string_view path, const std::vector<std::string_view>& names) {
  std::string m = std::string(path) + " must be ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) m += i + 1 == names.size() ? " or " : ", ";
    m += names[i];
  }
  return make_error("out_of_range", m, std::string(path));
}

Result<std::string> read_string(const Value& v, const PathRef& path, size_t max_len) {
  if (!v.is_string()) return wrong_type(path.str(), "a string", v);
  if (v.as_string().size() > max_len) {
    std::string p = path.str();
    return make_error("too_large", p + " is longer than " + std::to_string(max_len) + " bytes", p);
  }
  return v.as_string();
}

Result<int64_t> read_int(const Value& v, const PathRef& path, int64_t min, int64_t max) {
  if (!v.is_int()) return wrong_type(path.str(), "an integer", v);
  int64_t x = v.as_int();
  if (x < min || x > max) {
    std::string p = path.str();
    return make_error("out_of_range",
                      p + " = " + std::to_string(x) + " is outside [" + std::to_string(min) + ", " +
                          std::to_string(max) + "]",
                      p);
  }
  return x;
}

bool try_number(const Value& v, Range r, double* out) {
  if (!v.is_number()) return false;
  *out = v.as_double();
  return *out >= r.min && *out <= r.max;
}

Result<double> read_number(const Value& v, const PathRef& path, Range r) {
  if (!v.is_number()) return wrong_type(path.str(), "a number", v);
  double x = v.as_double();
  if (!(x >= r.min && x <= r.max)) {
    std::string p = path.str();
    return make_error("out_of_range",
                      p + " = " + format_double(x) + " is outside [" + format_double(r.min) + ", " +
                          format_double(r.max) + "]",
                      p);
  }
  return x;
}

Result<bool> read_bool(const Value& v, const PathRef& path) {
  if (!v.is_bool()) return wrong_type(path.str(), "a boolean", v);
  return v.as_bool();
}

namespace {
Status check_array(const Value& v, const PathRef& path, size_t max_items) {
  if (!v.is_array()) return wrong_type(path.str(), "an array", v);
  if (v.as_array().size() > max_items) {
    std::string p = path.str();
    return make_error("too_large",
                      p + " has " + std::to_string(v.as_array().size()) + " items; the limit is " +
                          std::to_string(max_items),
                      p);
  }
  return Ok{};
}
}  // namespace

Result<std::vector<double>> read_numbers(const Value& v, const PathRef& path, size_t max_items, Range r) {
  FLK_TRY(check_array(v, path, max_items));
  std::vector<double> out;
  out.reserve(v.as_array().size());
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    FLK_ASSIGN(double x, read_number(v.as_array()[i], PathRef(path, i), r));
    out.push_back(x);
  }
  return out;
}

Result<std::vector<int64_t>> read_ints(const Value& v, const PathRef& path, size_t max_items, int64_t min,
                                       int64_t max) {
  FLK_TRY(check_array(v, path, max_items));
  std::vector<int64_t> out;
  out.reserve(v.as_array().size());
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    FLK_ASSIGN(int64_t x, read_int(v.as_array()[i], PathRef(path, i), min, max));
    out.push_back(x);
  }
  return out;
}

Result<std::vector<std::vector<double>>> read_matrix(const Value& v, const PathRef& path, size_t max_rows,
                                                     size_t max_cols) {
  FLK_TRY(check_array(v, path, max_rows));
  std::vector<std::vector<double>> rows;
  rows.reserve(v.as_array().size());
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const PathRef row_path(path, i);
    FLK_ASSIGN(auto row, read_numbers(v.as_array()[i], row_path, max_cols));
    if (!rows.empty() && row.size() != rows[0].size()) {
      std::string p = row_path.str();
      return make_error("bad_length",
                        p + " has " + std::to_string(row.size()) + " values; the first row has " +
                            std::to_string(rows[0].size()),
                        p);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<ObjectReader> ObjectReader::open(const Value& v, std::string path) {
  if (!v.is_object()) return wrong_type(path, "an object", v);
  return ObjectReader(v, std::move(path));
}

const Value* ObjectReader::optional(std::string_view key) {
  for (const auto& m : v_->as_object())
    if (m.first == key) {
      seen_.push_back(m.first);  // a view into the object, which outlives this reader
      return &m.second;
    }
  return nullptr;
}

Result<const Value*> ObjectReader::required(std::string_view key) {
  const Value* f = optional(key);
  if (f) return f;
  std::string msg = path_of(key) + " is required";
  for (const auto& m : v_->as_object())
    if (ascii_iequal(m.first, key)) msg += " (found \"" + m.first + "\"; keys are case-sensitive)";
  return make_error("missing_field", msg, path_of(key));
}

Result<std::string> ObjectReader::string(std::string_view key, size_t max_len) {
  FLK_ASSIGN(const Value* f, required(key));
  return read_string(*f, PathRef(path_, key), max_len);
}

Result<std::optional<std::string>> ObjectReader::opt_string(std::string_view key, size_t max_len) {
  const Value* f = optional(key);
  if (!f) return std::optional<std::string>();
  FLK_ASSIGN(std::string s, read_string(*f, PathRef(path_, key), max_len));
  return std::optional<std::string>(std::move(s));
}

Result<int64_t> ObjectReader::integer(std::string_view key, int64_t min, int64_t max) {
  FLK_ASSIGN(const Value* f, required(key));
  return read_int(*f, PathRef(path_, key), min, max);
}

Result<std::optional<int64_t>> ObjectReader::opt_integer(std::string_view key, int64_t min, int64_t max) {
  const Value* f = optional(key);
  if (!f) return std::optional<int64_t>();
  FLK_ASSIGN(int64_t x, read_int(*f, PathRef(path_, key), min, max));
  return std::optional<int64_t>(x);
}

Result<double> ObjectReader::number(std::string_view key, Range r) {
  FLK_ASSIGN(const Value* f, required(key));
  return read_number(*f, PathRef(path_, key), r);
}

Result<std::optional<double>> ObjectReader::opt_number(std::string_view key, Range r) {
  const Value* f = optional(key);
  if (!f) return std::optional<double>();
  FLK_ASSIGN(double x, read_number(*f, PathRef(path_, key), r));
  return std::optional<double>(x);
}

Result<bool> ObjectReader::boolean(std::string_view key) {
  FLK_ASSIGN(const Value* f, required(key));
  return read_bool(*f, PathRef(path_, key));
}

Result<std::optional<bool>> ObjectReader::opt_boolean(std::string_view key) {
  const Value* f = optional(key);
  if (!f) return std::optional<bool>();
  FLK_ASSIGN(bool b, read_bool(*f, PathRef(path_, key)));
  return std::optional<bool>(b);
}

Result<std::optional<crypto::Bytes>> ObjectReader::opt_bytes(std::string_view stem, bool allow_text) {
  // The members are matched against stem + suffix in place, and the path is made only for an
  // error: key and path strings, and a copy of the text, were allocations of every call (in the
  // wasm builds libc++ keeps only 10 bytes of a string inline).
  enum { kText, kHex, kB64, kEncodings };
  static constexpr std::string_view kSuffixes[kEncodings] = {"_text", "_hex", "_b64"};
  const Value* values[kEncodings] = {};
  std::string_view keys[kEncodings];
  for (const auto& m : v_->as_object()) {
    const std::string_view k = m.first;
    if (k.size() <= stem.size() || k.substr(0, stem.size()) != stem) continue;
    for (int e = allow_text ? kText : kHex; e < kEncodings; ++e)
      if (k.substr(stem.size()) == kSuffixes[e]) {
        values[e] = &m.second;
        keys[e] = k;
      }
  }
  int found = -1;
  for (int e = kText; e < kEncodings; ++e) {
    if (!values[e]) continue;
    if (found >= 0)
      return make_error("conflicting_fields",
                        "give only one of " + std::string(keys[found]) + " and " + std::string(keys[e]), path_of(keys[e]));
    found = e;
  }
  if (found < 0) return std::optional<crypto::Bytes>();
  optional(keys[found]);  // marks it seen
  const Value& v = *values[found];
  if (!v.is_string() || v.as_string().size() > kMaxStringBytes) return read_string(v, path_of(keys[found])).error();
  const std::string& text = v.as_string();
  if (found == kText) return std::optional<crypto::Bytes>(crypto::bytes_of(text));
  auto decoded = found == kHex ? crypto::from_hex(text) : crypto::from_base64(text);
  if (!decoded.ok()) {
    const std::string p = path_of(keys[found]);
    return make_error("bad_encoding", p + ": " + decoded.error().message, p);
  }
  return std::optional<crypto::Bytes>(std::move(decoded.value()));
}

Result<crypto::Bytes> ObjectReader::bytes(std::string_view stem, bool allow_text) {
  FLK_ASSIGN(auto b, opt_bytes(stem, allow_text));
  if (!b) {
    std::string names = std::string(stem) + "_hex or " + std::string(stem) + "_b64";
    if (allow_text) names = std::string(stem) + "_text, " + names;
    return make_error("missing_field", path_of(stem) + ": one of " + names + " is required", path_of(stem));
  }
  return std::move(*b);
}

Status ObjectReader::finish() const {
  for (const auto& m : v_->as_object()) {
    if (std::find(seen_.begin(), seen_.end(), m.first) != seen_.end()) continue;
    std::string msg = "unknown field " + path_of(m.first);
    for (std::string_view s : seen_)
      if (ascii_iequal(s, m.first)) msg += " (did you mean \"" + std::string(s) + "\"? keys are case-sensitive)";
    return make_error("unknown_field", msg, path_of(m.first));
  }
  return Ok{};
}

}  // namespace flk::json

