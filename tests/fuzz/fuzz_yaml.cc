// The YAML subset reader. Properties: it never crashes; what it reads writes as JSON that the JSON
// parser reads back to an equal value; and that JSON, read as YAML (JSON is YAML), gives the same
// value again; and locate() finds a place for a path into what was read, and for one past it.
#include <string_view>

#include "check.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"
#include "json/value.h"
#include "yaml/parse.h"

// The path of the first leaf: first members and first elements all the way down.
std::string first_leaf(const flk::json::Value& v) {
  std::string path = "$";
  for (const flk::json::Value* at = &v;;) {
    if (at->is_object() && !at->as_object().empty()) {
      path = flk::json::join_path(path, at->as_object().front().first);
      at = &at->as_object().front().second;
    } else if (at->is_array() && !at->as_array().empty()) {
      path = flk::json::index_path(path, 0);
      at = &at->as_array().front();
    } else {
      return path;
    }
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto first = flk::yaml::parse(input);
  if (!first.ok()) {
    FUZZ_CHECK(!first.error().code.empty() && first.error().path.rfind("$", 0) == 0);
    return 0;
  }
  std::string text;
  FUZZ_CHECK(flk::json::write(first.value(), text));  // the reader admits no non-finite number
  auto as_json = flk::json::parse(text);
  FUZZ_CHECK(as_json.ok());
  FUZZ_CHECK(flk::json::equal(first.value(), as_json.value()));
  auto as_yaml = flk::yaml::parse(text);
  FUZZ_CHECK(as_yaml.ok());
  FUZZ_CHECK(flk::json::equal(first.value(), as_yaml.value()));
  const std::string leaf = first_leaf(first.value());
  FUZZ_CHECK(!flk::yaml::locate(input, leaf).empty());
  FUZZ_CHECK(!flk::yaml::locate(input, leaf + ".past").empty());
  return 0;
}
