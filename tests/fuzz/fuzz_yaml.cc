// The YAML subset reader. Properties: it never crashes; what it reads writes as JSON that the JSON
// parser reads back to an equal value; and that JSON, read as YAML (JSON is YAML), gives the same
// value again.
#include <string_view>

#include "check.h"
#include "json/parse.h"
#include "json/write.h"
#include "json/value.h"
#include "yaml/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto first = flk::yaml::parse(std::string_view(reinterpret_cast<const char*>(data), size));
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
  return 0;
}
